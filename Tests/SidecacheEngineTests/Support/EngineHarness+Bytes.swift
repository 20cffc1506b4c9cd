import NIOCore
import SidecacheEngine
import SidecacheRESP
import Testing

extension EngineHarness {
    /// Runs one command given as bytes (binary HLL values); returns its single reply.
    @discardableResult
    func run(bytes arguments: [[UInt8]]) throws -> RESPValue {
        let name = String(decoding: arguments[0], as: UTF8.self).lowercased()
        let handler = try #require(Self.handlers[name], "no engine handler for \(name)")
        client.frame = RESPCommandFrame(arguments)
        client.out.clear()
        keyspace.withState { handler(client, $0.database(client.database)) }
        var out = client.out
        return try #require(try RESPReplyParser().next(from: &out))
    }

    /// The bytes of the string at `key`.
    func stringValue(_ key: String) throws -> [UInt8] {
        let reply = try run("GET", key)
        guard case .bulkString(.some(let buffer)) = reply else {
            Issue.record("GET \(key) replied \(reply)")
            return []
        }
        return Array(buffer.readableBytesView)
    }

    /// OBJECT ENCODING's answer for `key` (OBJECT is dispatched by the server, not here).
    func encodingName(_ key: String) -> String? {
        keyspace.withState { state in
            Array(key.utf8).withUnsafeBytes { state.database(client.database).lookup($0, options: .noTouch) }
                .map { "\($0.value.encodingName)" }
        }
    }

    /// Runs one command; returns its reply and how much it moved the change counter.
    func runCounting(_ arguments: String...) throws -> (reply: RESPValue, changes: Int) {
        let before = statistics.changes
        let reply = try run(arguments)
        return (reply, statistics.changes - before)
    }

    /// The error text of an error reply, or `nil`.
    static func errorText(_ reply: RESPValue) -> String? {
        if case .simpleError(let buffer) = reply { return String(buffer: buffer) }
        return nil
    }
}
