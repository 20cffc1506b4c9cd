import Testing

/// The expiry commands (EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT with NX/XX/GT/LT, TTL, PTTL,
/// EXPIRETIME, PEXPIRETIME, PERSIST, TOUCH) against a real redis-server 7.0.15, byte for byte in
/// RESP2 and RESP3; remaining times compared with a tolerance. What depends on the passing of
/// time is tested on the engine with an injected clock (`ExpiryEngineTests`).
@Suite(.serialized, .enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct ExpiryTests {
    /// The four setters, with how to express "`seconds` from now" in their unit.
    static func setters() -> [(name: String, time: (Int64) -> String)] {
        let nowSeconds = RawDifferential.unixSeconds
        let nowMilliseconds = RawDifferential.unixMilliseconds
        return [
            ("EXPIRE", { "\($0)" }),
            ("PEXPIRE", { "\($0 * 1000)" }),
            ("EXPIREAT", { "\(nowSeconds + $0)" }),
            ("PEXPIREAT", { "\(nowMilliseconds + $0 * 1000)" }),
        ]
    }

    static let conditionSets: [[String]] = [
        [], ["NX"], ["XX"], ["GT"], ["LT"], ["nx"], ["Gt"], ["NX", "NX"], ["XX", "XX"], ["XX", "GT"], ["XX", "LT"],
        ["GT", "XX"], ["GT", "GT"], ["LT", "lt"],
    ]

    /// Every condition (alone and in the accepted pairs) against the three states a key can be
    /// in (missing, no TTL, TTL of 500 s), with a new time below and above the current one.
    @Test
    func conditions() async throws {
        var cases: [RawCase] = [RawCase("FLUSHALL")]
        for setter in Self.setters() {
            for conditions in Self.conditionSets {
                for state in 0..<3 {
                    for seconds: Int64 in [200, 1_000] {
                        cases.append(RawCase("DEL", "k"))
                        if state >= 1 { cases.append(RawCase("SET", "k", "v")) }
                        if state == 2 { cases.append(RawCase("EXPIRE", "k", "500")) }
                        cases.append(RawCase([setter.name, "k", setter.time(seconds)] + conditions))
                        cases.append(.pttl("k"))
                        cases.append(RawCase("EXISTS", "k"))
                    }
                }
            }
        }
        try await RawDifferential.compare(cases, label: "expire conditions")
    }

    /// Incompatible and unknown options, in Redis's order of checks: options before the time.
    @Test
    func optionErrors() async throws {
        let incompatible: [[String]] = [
            ["NX", "XX"], ["XX", "NX"], ["NX", "GT"], ["NX", "LT"], ["GT", "LT"], ["LT", "GT"], ["NX", "XX", "GT", "LT"],
            ["XX", "GT", "LT"], ["nx", "xx"], ["FOO"], ["NX", "FOO"], ["FOO", "NX", "XX"], ["NX", "XX", "FOO"], [""],
            ["N X"], ["NXX"], ["EX"], ["KEEPTTL"], ["a\r\nb"],
        ]
        var cases: [RawCase] = [RawCase("FLUSHALL"), RawCase("SET", "k", "v")]
        for setter in Self.setters() {
            for options in incompatible {
                cases.append(RawCase([setter.name, "k", setter.time(100)] + options))
                cases.append(RawCase([setter.name, "missing", setter.time(100)] + options))
                cases.append(RawCase([setter.name, "k", "abc"] + options))
            }
            // Option bytes that are not text: reported as they are, up to a NUL.
            cases.append(RawCase(bytes: [Array(setter.name.utf8), Array("k".utf8), Array("100".utf8), [0xFF, 0xFE]]))
            cases.append(RawCase(bytes: [Array(setter.name.utf8), Array("k".utf8), Array("100".utf8), [0x61, 0x00, 0x62]]))
            cases += [
                RawCase(setter.name), RawCase(setter.name, "k"), .ttl("k"),
            ]
        }
        try await RawDifferential.compare(cases, label: "expire option errors")
    }

    /// Times that are not integers, that overflow when converted to absolute milliseconds, and
    /// times in the past (the key is deleted and the answer is 1).
    @Test
    func timesAndOverflow() async throws {
        let values = [
            "9223372036854775807", "-9223372036854775808", "9223372036854775", "9223372036854774", "9223372036854776",
            "-9223372036854775", "-9223372036854776", "9223372036854775806", "9223372036854", "abc", "1.5", " 1", "01",
            "+1", "", "9223372036854775808",
        ]
        var cases: [RawCase] = [RawCase("FLUSHALL")]
        for setter in Self.setters() {
            for value in values {
                cases += [
                    RawCase("SET", "k", "v"), RawCase(setter.name, "k", value), RawCase("EXISTS", "k"), .pexpiretime("k"),
                    RawCase(setter.name, "missing", value),
                ]
            }
            // Past and present times delete the key (and answer 1), unless a condition refuses.
            for value in ["0", "-1", "1", "-100"] {
                cases += [
                    RawCase("SET", "k", "v"), RawCase(setter.name, "k", value), RawCase("EXISTS", "k"),
                    RawCase("SET", "k", "v"), RawCase(setter.name, "k", value, "GT"), RawCase("EXISTS", "k"),
                    RawCase(setter.name, "k", value, "LT"), RawCase("EXISTS", "k"),
                    RawCase("SET", "k", "v"), RawCase(setter.name, "k", value, "XX"), RawCase("EXISTS", "k"),
                    RawCase(setter.name, "k", value, "NX"), RawCase("EXISTS", "k"),
                    RawCase("SET", "k", "v", "EX", "100"), RawCase(setter.name, "k", value, "LT"), RawCase("EXISTS", "k"),
                    RawCase("SET", "k", "v", "EX", "100"), RawCase(setter.name, "k", value, "GT"), .ttl("k"),
                ]
            }
        }
        try await RawDifferential.compare(cases, label: "expire times")
    }

    @Test
    func readingAndClearingTimes() async throws {
        let inFuture = RawDifferential.unixSeconds + 5_000
        var cases: [RawCase] = [RawCase("FLUSHALL"), RawCase("SET", "plain", "v"), RawCase("SET", "timed", "v", "EX", "100")]
        for command in ["TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"] {
            cases += [
                RawCase(command, "missing"), RawCase(command, "plain"), RawCase(command, "timed", within: 2_000),
                RawCase(command), RawCase(command, "a", "b"),
            ]
        }
        cases += [
            RawCase("EXPIREAT", "timed", "\(inFuture)"), RawCase("EXPIRETIME", "timed"), RawCase("PEXPIRETIME", "timed"),
            RawCase("PEXPIREAT", "timed", "\(inFuture * 1000 + 999)"), RawCase("EXPIRETIME", "timed"),
            RawCase("PEXPIRETIME", "timed"),
            // TTL rounds to the nearest second.
            RawCase("PEXPIRE", "timed", "1499"), RawCase.ttl("timed"), RawCase("PEXPIRE", "timed", "1501"), RawCase.ttl("timed"),
            RawCase("PEXPIRE", "timed", "100000"),
            RawCase("PERSIST", "timed"), RawCase("PERSIST", "timed"), RawCase("TTL", "timed"),
            RawCase("PERSIST", "plain"), RawCase("PERSIST", "missing"), RawCase("PERSIST"), RawCase("PERSIST", "a", "b"),
            // Writes that keep or drop the time.
            RawCase("EXPIRE", "timed", "100"), RawCase("SET", "timed", "w"), RawCase("TTL", "timed"),
            RawCase("EXPIRE", "timed", "100"), RawCase("SET", "timed", "w", "KEEPTTL"), RawCase.ttl("timed"),
            RawCase("INCR", "counter"), RawCase("EXPIRE", "counter", "100"), RawCase("INCR", "counter"), RawCase.ttl("counter"),
            RawCase("APPEND", "counter", "x"), RawCase.ttl("counter"), RawCase("GETDEL", "counter"), RawCase("TTL", "counter"),
            // TOUCH counts the keys that exist, a key named twice twice.
            RawCase("TOUCH", "plain"), RawCase("TOUCH", "plain", "plain", "missing", "timed"), RawCase("TOUCH", "missing"),
            RawCase("TOUCH"),
            RawCase("SET", "gone", "v", "PXAT", "1"), RawCase("TOUCH", "gone", "plain"), RawCase("EXISTS", "gone"),
            RawCase("DBSIZE"),
        ]
        try await RawDifferential.compare(cases, label: "TTL/PERSIST/TOUCH")
    }
}
