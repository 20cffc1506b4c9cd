package import NIOCore
package import SidecacheRESP

/// What the engine needs of a connection while it runs a command: the request, where the
/// reply goes, the selected database and the transaction state (Redis's `client`).
/// Owned by the connection's event loop.
package final class EngineClient {
    /// The request being executed.
    @exclusivity(unchecked) package var frame = RESPCommandFrame()
    /// Replies not yet written to the socket.
    @exclusivity(unchecked) package var out: ByteBuffer
    @exclusivity(unchecked) package var protocolVersion: RESPProtocolVersion = .resp2
    /// The selected database (SELECT).
    @exclusivity(unchecked) package var database = 0
    /// Whether the current command answered with an error.
    @exclusivity(unchecked) package var failed = false
    /// Error replies since the connection last handed its counters over.
    @exclusivity(unchecked) package var errorReplies = 0
    /// WATCH state, guarded by the keyspace lock.
    package let watch = WatchState()
    /// Whether and how the client may block (BLPOP and friends), and its current wait.
    @exclusivity(unchecked) package var blocking = ClientBlocking()

    package init(allocator: ByteBufferAllocator) {
        self.out = allocator.buffer(capacity: 1024)
    }

    /// An error reply (counted in `total_error_replies` and the command's `failed_calls`).
    package func replyError(_ message: String) {
        errorReplies += 1
        failed = true
        out.writeRESPError(message)
    }

    /// An error reply built from client bytes, as Redis's `addReplyErrorFormat` treats it:
    /// CR and LF at either end are trimmed (the writer turns any inside into spaces).
    package func replyError(bytes message: [UInt8]) {
        errorReplies += 1
        failed = true
        let isLineEnd: (UInt8) -> Bool = { $0 == 0x0D || $0 == 0x0A }
        let start = message.firstIndex { !isLineEnd($0) } ?? message.endIndex
        let end = message.lastIndex { !isLineEnd($0) }.map { $0 + 1 } ?? start
        out.writeRESPError(bytes: message[start..<max(start, end)])
    }

    @inline(__always)
    package func replyOK() { out.writeRESPSimpleString("OK") }

    /// The null reply for a missing value (`$-1` in RESP2, `_` in RESP3).
    @inline(__always)
    package func replyNull() { out.writeRESPNull(protocolVersion) }

    /// The null reply for an aborted multi-bulk (`*-1` in RESP2, `_` in RESP3).
    @inline(__always)
    package func replyNullArray() { out.writeRESPNullArray(protocolVersion) }

    @inline(__always)
    package func replyInteger(_ value: Int) { out.writeRESPInteger(value) }

    @inline(__always)
    package func replyBulk(_ bytes: UnsafeRawBufferPointer) { out.writeRESPBulkString(bytes) }

    package func replyWrongType() { replyError(RedisError.wrongType) }
    package func replySyntaxError() { replyError(RedisError.syntax) }
    package func replyNotInteger() { replyError(RedisError.notInteger) }

    /// The `index`th argument as an integer, or `nil` after replying "not an integer".
    package func integerArgument(_ index: Int) -> Int64? {
        guard let value = frame.integer(index) else {
            replyNotInteger()
            return nil
        }
        return value
    }
}

/// Redis's shared error texts.
package enum RedisError {
    package static let wrongType = "WRONGTYPE Operation against a key holding the wrong kind of value"
    package static let syntax = "ERR syntax error"
    package static let notInteger = "ERR value is not an integer or out of range"
    package static let notFloat = "ERR value is not a valid float"
    package static let overflow = "ERR increment or decrement would overflow"
    package static let noSuchKey = "ERR no such key"
    package static let outOfRange = "ERR index out of range"
    package static let offsetOutOfRange = "ERR offset is out of range"
    package static let bitOffset = "ERR bit offset is not an integer or out of range"
    package static let stringTooLong = "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
    package static let databaseOutOfRange = "ERR DB index is out of range"

    package static func invalidExpireTime(_ command: String) -> String {
        "ERR invalid expire time in '\(command)' command"
    }
}
