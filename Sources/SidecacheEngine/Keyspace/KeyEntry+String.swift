import NIOCore
import SidecacheRESP

extension KeyEntry {
    /// Calls `body` with the bytes of a string value (an integer is formatted in decimal).
    /// The entry must hold a string.
    @inline(__always)
    package func withStringBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch value {
        case .embedded:
            return try withEmbeddedValue(body)
        case .raw(let bytes):
            return try bytes.withUnsafeBytes(body)
        case .integer(let number):
            return try RedisInteger.withDecimalDigits(of: number, body)
        default:
            preconditionFailure("not a string value")
        }
    }

    /// The byte length of a string value (STRLEN).
    package var stringLength: Int {
        switch value {
        case .embedded(let length): Int(length)
        case .raw(let bytes): bytes.count
        case .integer(let number): RedisInteger.decimalLength(number)
        default: preconditionFailure("not a string value")
        }
    }

    /// A string value as a new array.
    package var stringBytes: [UInt8] { withStringBytes { Array($0) } }
}

extension Database {
    /// Stores string `bytes` under `key` with Redis's `tryObjectEncoding`: `int` for decimal
    /// integers of at most 20 characters, `embstr` up to 44 bytes, `raw` beyond.
    @discardableResult
    package func setString(_ key: UnsafeRawBufferPointer, _ bytes: UnsafeRawBufferPointer, keepTTL: Bool = false) -> KeyEntry {
        if bytes.count <= 20, let number = RedisInteger.parse(bytes) {
            return set(key, .integer(number), keepTTL: keepTTL)
        }
        if bytes.count <= StoredValue.embeddedLimit {
            return set(key, .embedded(UInt32(bytes.count)), embedded: bytes, keepTTL: keepTTL)
        }
        return set(key, .raw(Array(bytes)), keepTTL: keepTTL)
    }

    /// Adds a new string key (the key must not exist), encoded as `setString` does.
    @discardableResult
    package func addString(_ key: UnsafeRawBufferPointer, _ bytes: UnsafeRawBufferPointer) -> KeyEntry {
        if bytes.count <= 20, let number = RedisInteger.parse(bytes) {
            return add(key, .integer(number))
        }
        if bytes.count <= StoredValue.embeddedLimit {
            return add(key, .embedded(UInt32(bytes.count)), embedded: bytes)
        }
        return add(key, .raw(Array(bytes)))
    }
}

extension EngineClient {
    /// Replies with a string entry's value as a bulk string.
    @inline(__always)
    package func replyStringValue(_ entry: KeyEntry) {
        if case .integer(let number) = entry.value {
            out.writeRESPBulkString(decimal: number)
        } else {
            entry.withStringBytes { out.writeRESPBulkString($0) }
        }
    }
}
