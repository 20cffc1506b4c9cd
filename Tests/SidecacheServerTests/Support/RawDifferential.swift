import Foundation
import NIOCore
import SidecacheRESP
import Testing

/// Byte-for-byte differential testing: the same requests go to a real redis-server 7.0.15 and
/// to Sidecache, pipelined, and each pair of replies is compared as raw bytes (or, for times
/// that depend on the two servers' clocks, as integers within a tolerance).
struct RawCase: Sendable, CustomStringConvertible {
    enum Comparison: Sendable {
        /// The replies must be identical bytes.
        case exact
        /// Both replies must be integers; negative ones (-1, -2) must be equal, others may
        /// differ by `tolerance` (TTLs and absolute expiry times read from two clocks).
        case integerWithin(Int64)
    }

    let arguments: [[UInt8]]
    let comparison: Comparison

    init(_ arguments: String..., within tolerance: Int64? = nil) {
        self.init(bytes: arguments.map { Array($0.utf8) }, within: tolerance)
    }

    init(_ arguments: [String], within tolerance: Int64? = nil) {
        self.init(bytes: arguments.map { Array($0.utf8) }, within: tolerance)
    }

    init(bytes arguments: [[UInt8]], within tolerance: Int64? = nil) {
        self.arguments = arguments
        self.comparison = tolerance.map { .integerWithin($0) } ?? .exact
    }

    var description: String { arguments.map { RawDifferential.render($0, quoted: true) }.joined(separator: " ") }

    /// TTL in seconds: a second either way (the two servers read their clocks at different instants).
    static func ttl(_ key: String) -> RawCase { RawCase("TTL", key, within: 2) }
    /// PTTL in milliseconds.
    static func pttl(_ key: String) -> RawCase { RawCase("PTTL", key, within: 2_000) }
    static func expiretime(_ key: String) -> RawCase { RawCase("EXPIRETIME", key, within: 2) }
    static func pexpiretime(_ key: String) -> RawCase { RawCase("PEXPIRETIME", key, within: 2_000) }
}

enum RawDifferential {
    /// Requests sent in one write before their replies are read.
    static let pipelineDepth = 256

    /// Unix time now, for EXAT/PXAT/EXPIREAT arguments (both servers run on this machine's clock).
    static var unixSeconds: Int64 { Int64(Date().timeIntervalSince1970) }
    static var unixMilliseconds: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// Starts a redis-server and a Sidecache, runs `cases` over a fresh connection to each in
    /// every protocol of `protocolVersions` (2 and 3), and records every difference as a test
    /// issue labelled `label`. The cases should begin with FLUSHALL.
    static func compare(_ cases: [RawCase], protocolVersions: [Int] = [2, 3], label: String) async throws {
        try await withRedisServer { redis in
            try await withTestServer { sidecache in
                for protocolVersion in protocolVersions {
                    let reference = try await TestClient.connect(port: redis.port)
                    let subject = try await sidecache.connect()
                    do {
                        try await compare(cases, reference: reference, subject: subject, protocolVersion: protocolVersion, label: label)
                    } catch {
                        await reference.close()
                        await subject.close()
                        throw error
                    }
                    await reference.close()
                    await subject.close()
                }
            }
        }
    }

    /// Runs `cases` on two open connections (after HELLO 3 when asked).
    static func compare(
        _ cases: [RawCase],
        reference: TestClient,
        subject: TestClient,
        protocolVersion: Int,
        label: String
    ) async throws {
        if protocolVersion == 3 {
            _ = try await reference.command("HELLO", "3")
            _ = try await subject.command("HELLO", "3")
        }
        _ = try await reference.command("CONFIG", "RESETSTAT")
        _ = try await subject.command("CONFIG", "RESETSTAT")
        var start = 0
        while start < cases.count {
            let batch = cases[start..<min(start + pipelineDepth, cases.count)]
            let expected = try await reference.pipelineRaw(batch.map(\.arguments))
            let actual = try await subject.pipelineRaw(batch.map(\.arguments))
            for (offset, testCase) in batch.enumerated() {
                check(testCase, expected: expected[offset], actual: actual[offset], label: "\(label) RESP\(protocolVersion) #\(start + offset)")
            }
            start += batch.count
        }
        // The counters the cases moved: hits and misses, error replies, and per command the
        // calls, rejected calls (refused before running) and failed calls (error replies).
        let expected = try await counters(reference)
        let actual = try await counters(subject)
        #expect(expected["keyspace_hits"] != nil && expected.keys.contains { $0.hasPrefix("cmdstat_") })
        for name in Set(expected.keys).union(actual.keys).sorted() {
            #expect(
                expected[name] == actual[name],
                "[\(label) RESP\(protocolVersion)] \(name): redis-server \(expected[name] ?? "-"), sidecache \(actual[name] ?? "-")"
            )
        }
    }

    /// `keyspace_hits`, `keyspace_misses`, `total_error_replies` and each `cmdstat_*` line
    /// without its timings.
    static func counters(_ client: TestClient) async throws -> [String: String] {
        var counters: [String: String] = [:]
        for section in ["stats", "commandstats"] {
            let text = try await client.command("INFO", section).text ?? ""
            for line in text.split(whereSeparator: \.isNewline) {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = String(line[..<colon])
                let value = line[line.index(after: colon)...]
                if ["keyspace_hits", "keyspace_misses", "total_error_replies"].contains(name) {
                    counters[name] = String(value)
                } else if name.hasPrefix("cmdstat_") {
                    counters[name] = value.split(separator: ",").filter { !$0.hasPrefix("usec") }.joined(separator: ",")
                }
            }
        }
        return counters
    }

    static func check(_ testCase: RawCase, expected: [UInt8], actual: [UInt8], label: String) {
        let same: Bool
        switch testCase.comparison {
        case .exact:
            same = expected == actual
        case .integerWithin(let tolerance):
            if let a = integer(expected), let b = integer(actual) {
                same = (a < 0 || b < 0) ? a == b : abs(a - b) <= tolerance
            } else {
                same = false
            }
        }
        #expect(
            same,
            """
            [\(label)] \(testCase)
              redis-server: \(render(expected))
              sidecache:    \(render(actual))
            """
        )
    }

    /// The value of a `:n` reply.
    static func integer(_ reply: [UInt8]) -> Int64? {
        guard reply.first == UInt8(ascii: ":"), reply.count >= 3 else { return nil }
        return RedisInteger.parse(bytes: reply[1..<(reply.count - 2)])
    }

    /// Bytes as readable text: printable ASCII as is, the rest escaped.
    static func render(_ bytes: [UInt8], quoted: Bool = false) -> String {
        var text = ""
        for byte in bytes {
            switch byte {
            case 0x0D: text += "\\r"
            case 0x0A: text += "\\n"
            case UInt8(ascii: "\\"): text += "\\\\"
            case UInt8(ascii: "\"") where quoted: text += "\\\""
            case 0x20...0x7E: text.unicodeScalars.append(Unicode.Scalar(byte))
            default: text += String(format: "\\x%02x", byte)
            }
        }
        let needsQuotes = quoted && (bytes.isEmpty || bytes.contains { $0 <= 0x20 || $0 >= 0x7F || $0 == UInt8(ascii: "\"") })
        return needsQuotes ? "\"\(text)\"" : text
    }
}

extension TestClient {
    static func encode(bytes arguments: [[UInt8]]) -> [UInt8] {
        var out = Array("*\(arguments.count)\r\n".utf8)
        for argument in arguments {
            out += Array("$\(argument.count)\r\n".utf8)
            out += argument
            out += [0x0D, 0x0A]
        }
        return out
    }

    /// The raw bytes of the next whole reply; throws when the server closed first or after `timeout`.
    func readRawReply(timeout: Duration = .seconds(10)) async throws -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (bytes, closed): ([UInt8]?, Bool) = try inbox.state.withLock { state in
                var cursor = state.buffer
                let value: RESPValue?
                do {
                    value = try parser.next(from: &cursor)
                } catch {
                    throw TestClientError(description: "unparsable reply: \(error)")
                }
                guard value != nil else { return (nil, state.closed) }
                let length = cursor.readerIndex - state.buffer.readerIndex
                return (state.buffer.readBytes(length: length), state.closed)
            }
            if let bytes { return bytes }
            if closed { throw TestClientError(description: "server closed the connection") }
            if ContinuousClock.now >= deadline { throw TestClientError(description: "no reply within \(timeout)") }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    /// Sends `requests` in one write and reads their replies as raw bytes.
    func pipelineRaw(_ requests: [[[UInt8]]]) async throws -> [[UInt8]] {
        try await send(requests.flatMap { Self.encode(bytes: $0) })
        var replies: [[UInt8]] = []
        replies.reserveCapacity(requests.count)
        for _ in requests { replies.append(try await readRawReply()) }
        return replies
    }

    /// Sends one request and reads its raw reply.
    func commandRaw(_ arguments: String...) async throws -> [UInt8] {
        try await pipelineRaw([arguments.map { Array($0.utf8) }])[0]
    }
}
