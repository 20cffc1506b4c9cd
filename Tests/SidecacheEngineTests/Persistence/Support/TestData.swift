extension PersistenceTests {
    /// Deterministic test data: SplitMix64, so that every run sees the same values.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64

        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }

        /// `count` bytes drawn from `alphabet` (the smaller it is, the better LZF compresses).
        mutating func bytes(_ count: Int, alphabet: [UInt8]) -> [UInt8] {
            (0..<count).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }
        }

        /// `count` bytes over the full byte range (incompressible).
        mutating func randomBytes(_ count: Int) -> [UInt8] {
            (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
        }
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Text of words drawn from a small vocabulary: compresses like real values do.
    static func wordText(_ count: Int, rng: inout SplitMix64) -> [UInt8] {
        let words = ["cache", "sidecar", "redis", "key", "value", "expire", "ttl", "shard", "node", "42", "{", "}", ":", ","]
        var out: [UInt8] = []
        while out.count < count {
            out += Array(words[Int(rng.next() % UInt64(words.count))].utf8)
            out.append(UInt8(ascii: " "))
        }
        return Array(out.prefix(count))
    }

    /// A score as a ZADD argument that parses back to exactly `score`.
    static func scoreArgument(_ score: Double) -> String {
        if score.isInfinite { return score > 0 ? "inf" : "-inf" }
        return "\(score)"  // Swift prints the shortest text that round-trips
    }

    /// A score from a ZRANGE WITHSCORES reply (`%.17g`, or `inf`/`-inf`).
    static func parseReplyScore(_ text: [UInt8]) -> Double {
        Double(String(decoding: text, as: UTF8.self)) ?? .nan
    }
}
