import NIOCore
import SidecacheRESP

extension HashCommands {
    static let scanHandlers: [(String, EngineCommand)] = [("hscan", hscan)]

    /// HSCAN key cursor [MATCH pattern] [COUNT count] (Redis's `hscanCommand`): fields with
    /// their values; MATCH applies to the field.
    static func hscan(_ client: EngineClient, _ db: Database) {
        guard let cursor = ScanArguments.cursor(client, at: 2) else { return }
        client.frame.withArgument(1) { key in
            guard let hash = db.lookupRead(key, as: \.hash, for: client, missing: { replyEmptyScan(client) }) else { return }
            replyScanPage(client, from: cursor, elementsPerItem: 2) { cursor, emit in
                hash.scan(cursor: cursor) { field, value in emit(field, value) }
            }
        }
    }

    /// The reply to a scan of a missing key: cursor 0, no elements.
    static func replyEmptyScan(_ client: EngineClient) {
        client.out.writeRESPArrayHeader(2)
        client.out.writeRESPBulkString(decimal: 0)
        client.out.writeRESPArrayHeader(0)
    }

    /// The part of Redis's `scanGenericCommand` that HSCAN and SSCAN share, run once the key
    /// was found: parses MATCH and COUNT from argument 3 on (TYPE is SCAN's only; an error
    /// here comes after the lookup, as in Redis), then calls `step` with the cursor and an
    /// emitter until the cursor is back at 0, COUNT elements were collected (a hash's field
    /// and value count as two, as Redis counts them), or `COUNT * 10` more steps were taken.
    /// A compact encoding's `step` emits everything and returns 0. Items whose first part does
    /// not match the pattern are dropped; replies `[next cursor, elements]`.
    static func replyScanPage(
        _ client: EngineClient,
        from start: UInt64,
        elementsPerItem: Int,
        step: (UInt64, (UnsafeRawBufferPointer, UnsafeRawBufferPointer?) -> Void) -> UInt64
    ) {
        guard let arguments = ScanArguments.parse(client, from: 3, allowsType: false) else { return }
        let frame = client.frame
        var kept: [[UInt8]] = []
        var collected = 0
        var cursor = start
        var iterationsLeft = arguments.maximumIterations
        while true {
            cursor = step(cursor) { item, value in
                collected += elementsPerItem
                if let patternIndex = arguments.patternIndex,
                    !frame.withArgument(patternIndex, { GlobMatcher.matches(pattern: $0, item) })
                {
                    return
                }
                kept.append(Array(item))
                if let value { kept.append(Array(value)) }
            }
            if cursor == 0 || iterationsLeft == 0 { break }
            iterationsLeft -= 1
            if collected >= arguments.count { break }
        }
        client.out.writeRESPArrayHeader(2)
        client.out.writeRESPBulkString(decimal: Int64(truncatingIfNeeded: cursor))
        client.out.writeRESPArrayHeader(kept.count)
        for element in kept { client.out.writeRESPBulkString(element) }
    }
}
