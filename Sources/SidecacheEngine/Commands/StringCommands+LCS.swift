import NIOCore
import SidecacheRESP

extension StringCommands {
    static let lcsHandlers: [(String, EngineCommand)] = [("lcs", lcs)]

    /// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] (Redis 7.0's `lcsCommand`).
    ///
    /// Both keys are looked up for reading first (a missing key is the empty string; a
    /// non-string refuses the command with LCS's own error, not WRONGTYPE), then the options
    /// are parsed, then the sizes checked against `proto-max-bulk-len`. Reads the values in
    /// place, changes nothing. Replies: the subsequence (bulk), LEN its length (integer), IDX
    /// a map `matches` → ranges (last first, each `[[a1, a2], [b1, b2]]` plus the length
    /// with WITHMATCHLEN) and `len` → the length; RESP2 gets the map as a flat array.
    static func lcs(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        let first = frame.withArgument(1) { db.lookupRead($0) }
        let second = frame.withArgument(2) { db.lookupRead($0) }
        if let first, !first.value.isString {
            client.replyError(.lcsWrongType)
            return
        }
        if let second, !second.value.isString {
            client.replyError(.lcsWrongType)
            return
        }
        guard
            let options = client.parsing({ () throws(StringCommandError) in
                try LongestCommonSubsequence.parseOptions(BitCommands.arguments(frame, from: 3))
            })
        else { return }
        let maxBulkLength = db.keyspace.maxStringLength
        let reply = withStringBytes(of: first) { a in
            withStringBytes(of: second) { b in
                Result { () throws(StringCommandError) in
                    try LongestCommonSubsequence.compute(a, b, options: options, maxBulkLength: maxBulkLength)
                }
            }
        }
        switch reply {
        case .failure(let error):
            client.replyError(error)
        case .success(.string(let subsequence)):
            client.out.writeRESPBulkString(subsequence)
        case .success(.length(let length)):
            client.replyInteger(length)
        case .success(.indexes(let matches, let length)):
            writeMatches(matches, length: length, withMatchLength: options.withMatchLength, client)
        }
    }

    /// Calls `body` with a string entry's bytes, or with no bytes for a missing key.
    private static func withStringBytes<R>(of entry: KeyEntry?, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        guard let entry else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return entry.withStringBytes(body)
    }

    /// LCS IDX's reply: `{matches: [...], len: n}`.
    private static func writeMatches(
        _ matches: [LongestCommonSubsequence.Match],
        length: Int,
        withMatchLength: Bool,
        _ client: EngineClient
    ) {
        client.out.writeRESPMapHeader(2, client.protocolVersion)
        client.out.writeStaticString("$7\r\nmatches\r\n")
        client.out.writeRESPArrayHeader(matches.count)
        for match in matches {
            client.out.writeRESPArrayHeader(withMatchLength ? 3 : 2)
            client.out.writeRESPArrayHeader(2)
            client.out.writeRESPInteger(match.first.lowerBound)
            client.out.writeRESPInteger(match.first.upperBound)
            client.out.writeRESPArrayHeader(2)
            client.out.writeRESPInteger(match.second.lowerBound)
            client.out.writeRESPInteger(match.second.upperBound)
            if withMatchLength { client.out.writeRESPInteger(match.length) }
        }
        client.out.writeStaticString("$3\r\nlen\r\n")
        client.out.writeRESPInteger(length)
    }
}
