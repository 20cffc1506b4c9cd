public import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Frames requests out of a connection's read buffer exactly as redis-server's
/// `processMultibulkBuffer` and `processInlineBuffer` do, with the same limits and errors.
///
/// The parser is resumable: a request that arrives in pieces is not scanned again from the
/// start, and memory for a multibulk's arguments is reserved only as they arrive (at most
/// 1024 slots up front, as Redis). It does not consume the bytes of a request until the
/// whole request has arrived, so the caller may compact its buffer between calls.
public struct RESPRequestParser: Sendable {
    public var limits: RESPLimits
    /// Arguments still expected by the multibulk being read; 0 between requests.
    private var remainingArguments = 0
    /// Bytes of the current request, from the buffer's reader index, already framed.
    private var framedBytes = 0
    /// Where inline requests are unescaped into (their arguments are not slices of the input).
    private var inlineScratch = ByteBuffer()

    public init(limits: RESPLimits = RESPLimits()) {
        self.limits = limits
    }

    /// Whether the parser is part-way through a request.
    public var isInsideRequest: Bool { remainingArguments > 0 }

    private enum Step {
        /// A whole request; `inline` when its arguments live in the scratch buffer.
        case complete(consumed: Int, inline: Bool)
        case skip(consumed: Int)
        case incomplete
        case failed(RESPProtocolError)
    }

    /// Frames the next request of `buffer` into `frame`.
    ///
    /// Returns `true` with the request's arguments in `frame` and the buffer's reader index
    /// moved past it; `false` when more bytes are needed (a partial multibulk stays in `frame`,
    /// so pass the same frame next time). Empty requests (`*0`, `*-1`, blank inline lines)
    /// are skipped, as Redis does. Throws on a broken request; the connection must then close.
    public mutating func next(
        from buffer: inout ByteBuffer,
        into frame: inout RESPCommandFrame,
        authenticated: Bool = true
    ) throws(RESPProtocolError) -> Bool {
        while buffer.readableBytes > 0 {
            let step: Step
            if remainingArguments > 0 || buffer.readableBytesView.first == UInt8(ascii: "*") {
                step = buffer.withUnsafeReadableBytes { bytes in
                    frameMultibulk(bytes, into: &frame, authenticated: authenticated)
                }
            } else {
                step = buffer.withUnsafeReadableBytes { bytes in
                    frameInline(bytes, into: &frame)
                }
            }
            switch step {
            case .complete(let consumed, let inline):
                if !inline { frame.setStorage(buffer) }
                framedBytes = 0
                buffer.moveReaderIndex(forwardBy: consumed)
                return true
            case .skip(let consumed):
                framedBytes = 0
                buffer.moveReaderIndex(forwardBy: consumed)
            case .incomplete:
                return false
            case .failed(let error):
                throw error
            }
        }
        return false
    }

    private mutating func frameMultibulk(
        _ bytes: UnsafeRawBufferPointer,
        into frame: inout RESPCommandFrame,
        authenticated: Bool
    ) -> Step {
        var position = framedBytes
        if remainingArguments == 0 {
            guard let lineEnd = Self.find(UInt8(ascii: "\r"), in: bytes, from: 1) else {
                return bytes.count > limits.maxInlineLength ? .failed(.tooBigMultibulkCount) : .incomplete
            }
            guard lineEnd + 1 < bytes.count else { return .incomplete }
            guard let count = RedisInteger.parse(UnsafeRawBufferPointer(rebasing: bytes[1..<lineEnd])),
                count <= limits.maxMultibulkLength
            else { return .failed(.invalidMultibulkLength) }
            if count > limits.unauthenticatedMaxMultibulkLength && !authenticated {
                return .failed(.unauthenticatedMultibulkLength)
            }
            position = lineEnd + 2
            if count <= 0 { return .skip(consumed: position) }
            frame.reset()
            frame.reserve(Swift.min(Int(count), 1024))
            remainingArguments = Int(count)
            framedBytes = position
        }
        while remainingArguments > 0 {
            guard position < bytes.count else { return .incomplete }
            guard let lineEnd = Self.find(UInt8(ascii: "\r"), in: bytes, from: position) else {
                return bytes.count - position > limits.maxInlineLength ? .failed(.tooBigBulkCount) : .incomplete
            }
            guard lineEnd + 1 < bytes.count else { return .incomplete }
            guard bytes[position] == UInt8(ascii: "$") else { return .failed(.expectedDollar(got: bytes[position])) }
            guard let length = RedisInteger.parse(UnsafeRawBufferPointer(rebasing: bytes[(position + 1)..<lineEnd])),
                length >= 0, length <= limits.maxBulkLength
            else { return .failed(.invalidBulkLength) }
            if length > limits.unauthenticatedMaxBulkLength && !authenticated {
                return .failed(.unauthenticatedBulkLength)
            }
            let dataStart = lineEnd + 2
            // Like Redis, the two bytes after the data are skipped, not checked.
            guard bytes.count - dataStart >= Int(length) + 2 else { return .incomplete }
            frame.append(start: dataStart, length: Int(length))
            position = dataStart + Int(length) + 2
            framedBytes = position
            remainingArguments -= 1
        }
        return .complete(consumed: position, inline: false)
    }

    private mutating func frameInline(_ bytes: UnsafeRawBufferPointer, into frame: inout RESPCommandFrame) -> Step {
        guard let newline = Self.find(UInt8(ascii: "\n"), in: bytes, from: 0) else {
            return bytes.count > limits.maxInlineLength ? .failed(.tooBigInlineRequest) : .incomplete
        }
        var lineEnd = newline
        if lineEnd > 0 && bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
        frame.reset()
        inlineScratch.clear()
        let balanced = InlineArgumentSplitter.split(
            UnsafeRawBufferPointer(rebasing: bytes[0..<lineEnd]),
            into: &inlineScratch,
            frame: &frame
        )
        guard balanced else {
            frame.reset()
            return .failed(.unbalancedQuotes)
        }
        if frame.isEmpty { return .skip(consumed: newline + 1) }
        frame.setStorage(inlineScratch)
        return .complete(consumed: newline + 1, inline: true)
    }

    @inline(__always)
    private static func find(_ byte: UInt8, in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard start < bytes.count, let base = bytes.baseAddress else { return nil }
        guard let hit = memchr(base + start, Int32(byte), bytes.count - start) else { return nil }
        return UnsafeRawPointer(hit) - base
    }
}
