import SidecacheEngine
import Testing

/// RESTORE's options and error paths against a real redis-server 7.0.15, byte for byte in RESP2
/// and RESP3. The payload is a string value, whose DUMP form is the same bytes on both servers
/// (checked by the persistence tests), so one encoded payload serves both.
@Suite(.serialized, .enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct RestoreDifferentialTests {
    static func restore(_ key: String, _ ttl: String, _ payload: [UInt8], _ options: String...) -> RawCase {
        RawCase(bytes: [Array("RESTORE".utf8), Array(key.utf8), Array(ttl.utf8), payload] + options.map { Array($0.utf8) })
    }

    @Test func optionsAndErrors() async throws {
        let hello = DumpPayload.encode(.string(Array("hello".utf8)))
        let number = DumpPayload.encode(.string(Array("1234".utf8)))
        var corrupt = hello
        corrupt[corrupt.count - 1] ^= 0xFF
        let future = String(RawDifferential.unixMilliseconds + 500_000)
        let cases: [RawCase] = [
            RawCase("FLUSHALL"),
            Self.restore("k", "0", hello),
            RawCase("GET", "k"),
            Self.restore("k", "0", hello),  // BUSYKEY
            Self.restore("k", "0", number, "REPLACE"),
            RawCase("GET", "k"),
            RawCase("OBJECT", "ENCODING", "k"),
            Self.restore("t", "100000", hello),
            .pttl("t"),
            Self.restore("a", future, hello, "ABSTTL"),
            .pttl("a"),
            Self.restore("past", "1", hello, "ABSTTL"),  // already expired: OK, no key
            RawCase("EXISTS", "past"),
            Self.restore("k", "1", hello, "ABSTTL", "REPLACE"),  // deletes the old key
            RawCase("EXISTS", "k"),
            Self.restore("n", "-1", hello),
            Self.restore("n", "x", hello),
            Self.restore("n", "0", hello, "IDLETIME", "-1"),
            Self.restore("n", "0", hello, "IDLETIME", "x"),
            Self.restore("n", "0", hello, "FREQ", "256"),
            Self.restore("n", "0", hello, "FREQ", "-1"),
            Self.restore("n", "0", hello, "IDLETIME", "10", "FREQ", "5"),
            Self.restore("n", "0", hello, "FREQ", "5", "IDLETIME", "10"),
            Self.restore("n", "0", hello, "IDLETIME"),
            Self.restore("n", "0", hello, "BOGUS"),
            Self.restore("n", "0", corrupt),
            Self.restore("n", "0", Array("short".utf8)),
            Self.restore("idle", "0", hello, "IDLETIME", "100"),
            RawCase("EXISTS", "idle"),
            RawCase("RESTORE", "n", "0"),
        ]
        try await RawDifferential.compare(cases, label: "restore")
    }
}
