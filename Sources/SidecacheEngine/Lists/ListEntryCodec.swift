import SidecacheRESP

/// One list element as a node stores it: Redis's listpack entry (`listpack.c`), read and
/// written in place. An element that is a canonical 64-bit integer in text takes the smallest
/// integer encoding (1 to 9 bytes), any other the smallest string encoding (1, 2 or 5 header
/// bytes and the bytes), and every entry ends with its back-length (1 to 5 bytes) so that a
/// node can be walked from either end. Same bytes per element as redis-server's listpacks.
enum ListEntryCodec {
    /// An element about to be stored: its bytes and, when they are a canonical integer, its value.
    struct Encoding {
        let integer: Int64?
        /// Encoding and data, without the back-length.
        let bodySize: Int
        /// The whole entry.
        let size: Int

        init(_ element: UnsafeRawBufferPointer) {
            let integer = RedisInteger.parse(element)
            self.integer = integer
            let body: Int
            if let integer {
                body = ListEntryCodec.integerBodySize(integer)
            } else {
                let length = element.count
                body = (length < 64 ? 1 : length < 4096 ? 2 : 5) + length
            }
            bodySize = body
            size = body + ListEntryCodec.backlenSize(body)
        }
    }

    /// Bytes of an integer entry's encoding and data (`lpEncodeIntegerGetType`).
    static func integerBodySize(_ value: Int64) -> Int {
        switch value {
        case 0...127: 1
        case -4096...4095: 2
        case -32768...32767: 3
        case -8_388_608...8_388_607: 4
        case -2_147_483_648...2_147_483_647: 5
        default: 9
        }
    }

    /// Bytes `lpEncodeBacklen` uses for an entry body of `length` bytes.
    @inline(__always)
    static func backlenSize(_ length: Int) -> Int {
        length <= 127 ? 1 : length < 16383 ? 2 : length < 2_097_151 ? 3 : length < 268_435_455 ? 4 : 5
    }

    /// Writes `element` as an entry at `target`, which has room for `encoding.size` bytes.
    static func write(_ element: UnsafeRawBufferPointer, _ encoding: Encoding, to target: UnsafeMutableRawPointer) {
        if let value = encoding.integer {
            let bits = UInt64(bitPattern: value)
            switch encoding.bodySize {
            case 1:
                target.storeBytes(of: UInt8(value), as: UInt8.self)
            case 2:
                target.storeBytes(of: 0xc0 | UInt8((bits >> 8) & 0x1f), as: UInt8.self)
                target.storeBytes(of: UInt8(truncatingIfNeeded: bits), toByteOffset: 1, as: UInt8.self)
            default:
                let width = encoding.bodySize - 1
                let marker: UInt8 = width == 2 ? 0xf1 : width == 3 ? 0xf2 : width == 4 ? 0xf3 : 0xf4
                target.storeBytes(of: marker, as: UInt8.self)
                storeLittleEndian(bits, width: width, at: target + 1)
            }
        } else {
            let length = element.count
            let header: Int
            if length < 64 {
                target.storeBytes(of: 0x80 | UInt8(length), as: UInt8.self)
                header = 1
            } else if length < 4096 {
                target.storeBytes(of: 0xe0 | UInt8(length >> 8), as: UInt8.self)
                target.storeBytes(of: UInt8(length & 0xff), toByteOffset: 1, as: UInt8.self)
                header = 2
            } else {
                target.storeBytes(of: 0xf0, as: UInt8.self)
                storeLittleEndian(UInt64(length), width: 4, at: target + 1)
                header = 5
            }
            if length > 0 { (target + header).copyMemory(from: element.baseAddress!, byteCount: length) }
        }
        writeBacklen(encoding.bodySize, to: target + encoding.bodySize)
    }

    @inline(__always)
    private static func storeLittleEndian(_ bits: UInt64, width: Int, at target: UnsafeMutableRawPointer) {
        for index in 0..<width {
            target.storeBytes(of: UInt8(truncatingIfNeeded: bits >> (8 * UInt64(index))), toByteOffset: index, as: UInt8.self)
        }
    }

    /// `lpEncodeBacklen`: the body length in 7-bit groups, most significant first, every group
    /// but the last written with the high bit set, so that it reads backwards from the end.
    private static func writeBacklen(_ length: Int, to target: UnsafeMutableRawPointer) {
        let groups = backlenSize(length)
        let value = UInt64(length)
        for group in 0..<groups {
            let shift = 7 * UInt64(groups - 1 - group)
            let bits = UInt8(truncatingIfNeeded: value >> shift) & 127
            target.storeBytes(of: group == 0 ? bits : bits | 128, toByteOffset: group, as: UInt8.self)
        }
    }

    /// The entry at `p`: its element and its whole size (`lpCurrentEncodedSize` + back-length).
    @inline(__always)
    static func read(_ p: UnsafeRawPointer) -> (element: ListElement, size: Int) {
        let first = p.load(as: UInt8.self)
        let body: Int
        let element: ListElement
        switch first {
        case 0x00...0x7f:
            body = 1
            element = ListElement(integer: Int64(first))
        case 0x80...0xbf:
            let length = Int(first & 0x3f)
            body = 1 + length
            element = ListElement(string: p + 1, count: length)
        case 0xc0...0xdf:
            let bits = Int64(first & 0x1f) << 8 | Int64(p.load(fromByteOffset: 1, as: UInt8.self))
            body = 2
            element = ListElement(integer: bits >= 4096 ? bits - 8192 : bits)
        case 0xe0...0xef:
            let length = Int(first & 0x0f) << 8 | Int(p.load(fromByteOffset: 1, as: UInt8.self))
            body = 2 + length
            element = ListElement(string: p + 2, count: length)
        case 0xf0:
            let length = Int(littleEndian(p + 1, 4))
            body = 5 + length
            element = ListElement(string: p + 5, count: length)
        case 0xf1:
            body = 3
            element = ListElement(integer: Int64(Int16(truncatingIfNeeded: littleEndian(p + 1, 2))))
        case 0xf2:
            let bits = Int64(littleEndian(p + 1, 3))
            body = 4
            element = ListElement(integer: bits >= 1 << 23 ? bits - (1 << 24) : bits)
        case 0xf3:
            body = 5
            element = ListElement(integer: Int64(Int32(truncatingIfNeeded: littleEndian(p + 1, 4))))
        default:
            body = 9
            element = ListElement(integer: Int64(bitPattern: littleEndian(p + 1, 8)))
        }
        return (element, body + backlenSize(body))
    }

    /// The size of the entry that ends just before `end` (`lpPrev`), read from its back-length.
    @inline(__always)
    static func sizeOfEntry(endingAt end: UnsafeRawPointer) -> Int {
        var value = 0
        var shift = 0
        var p = end - 1
        var groups = 1
        while true {
            let byte = p.load(as: UInt8.self)
            value |= Int(byte & 127) << shift
            if byte & 128 == 0 { break }
            shift += 7
            groups += 1
            p -= 1
        }
        return value + groups
    }

    @inline(__always)
    private static func littleEndian(_ p: UnsafeRawPointer, _ width: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in (0..<width).reversed() { value = value << 8 | UInt64(p.load(fromByteOffset: index, as: UInt8.self)) }
        return value
    }
}

/// An element read from a node: bytes inside the node (valid until the list changes) or an
/// integer. Redis returns integers as their decimal text.
package struct ListElement {
    /// `nil` for an integer entry.
    package let string: UnsafeRawPointer?
    package let count: Int
    package let integer: Int64

    @inline(__always)
    init(string: UnsafeRawPointer, count: Int) {
        self.string = string
        self.count = count
        self.integer = 0
    }

    @inline(__always)
    init(integer: Int64) {
        self.string = nil
        self.count = 0
        self.integer = integer
    }

    /// Calls `body` with the element's bytes (an integer formatted on the stack).
    @inline(__always)
    package func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        if let string { return try body(UnsafeRawBufferPointer(start: count == 0 ? nil : string, count: count)) }
        return try RedisInteger.withDecimalDigits(of: integer, body)
    }

    /// A copy of the element's bytes.
    package var bytes: [UInt8] { withBytes { Array($0) } }

    /// Whether the element equals `needle` (Redis's `lpCompare`).
    @inline(__always)
    package func equals(_ needle: ListNeedle) -> Bool {
        guard let string else { return needle.integer == integer }
        guard needle.integer == nil, count == needle.bytes.count else { return false }
        return count == 0 || memcmp(string, needle.bytes.baseAddress!, count) == 0
    }
}

/// An element searched for (LREM, LPOS, LINSERT), parsed once: a canonical integer only ever
/// matches an integer entry, any other text only a string entry with the same bytes.
package struct ListNeedle {
    package let bytes: UnsafeRawBufferPointer
    package let integer: Int64?

    package init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        self.integer = RedisInteger.parse(bytes)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
