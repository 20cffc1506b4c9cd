import Testing

/// SUBSCRIBE and its kin, PUBLISH, SPUBLISH and PUBSUB, run on several connections of a real
/// redis-server 7.0.15 and of Sidecache; every frame each connection receives (replies and
/// messages) compared byte for byte. See `PubSubDifferential` for how steps are delimited.
@Suite(.serialized, .enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct PubSubDifferentialTests {
    /// Confirmations and counts of every (un)subscribe form, and what RESP2's subscribed mode
    /// still allows, in RESP2 and in RESP3 (which has no restriction).
    @Test(arguments: ["2", "3"])
    func subscribeAndUnsubscribeForms(protocolVersion: String) async throws {
        let steps = [
            .hello(0, protocolVersion),
            PubSubStep(0, ["UNSUBSCRIBE"], ["PUNSUBSCRIBE"], ["SUNSUBSCRIBE"], ["UNSUBSCRIBE", "never"]),
            PubSubStep(0, ["SUBSCRIBE", "a", "b", "a"], ["PSUBSCRIBE", "x*", "x*", "y?"], ["SSUBSCRIBE", "s1", "s2", "s1"]),
            PubSubStep(0, ["PING"], ["PING", "hello"], ["PING", "a", "b"], ["GET", "k"], ["SET", "k", "v"]),
            PubSubStep(0, ["CLIENT", "GETNAME"], ["CLIENT", "NOSUCH"], ["NOSUCH"], ["GET"], ["ECHO", "e"]),
            PubSubStep(0, ["SUBSCRIBE"], ["PSUBSCRIBE"], ["SSUBSCRIBE"], ["CONFIG", "GET", "hz"]),
            PubSubStep(0, ["UNSUBSCRIBE", "zz", "a"], ["PUNSUBSCRIBE", "x*"], ["SUNSUBSCRIBE", "s1", "s9"]),
            PubSubStep(0, ["SUNSUBSCRIBE"], ["PUNSUBSCRIBE"], ["PUNSUBSCRIBE"], ["GET", "k"]),
            PubSubStep(0, ["UNSUBSCRIBE"], ["UNSUBSCRIBE"], ["PING"], ["GET", "k"]),
            PubSubStep(0, ["SSUBSCRIBE", "only-shard"], ["GET", "k"], ["SUNSUBSCRIBE", "only-shard"], ["GET", "k"]),
            PubSubStep(0, ["PSUBSCRIBE", "p1", "p2", "p3"], ["PUNSUBSCRIBE"], ["PING"]),
        ]
        try await PubSubDifferential.compare(steps, connections: 1, label: "subscribe forms RESP\(protocolVersion)")
    }

    /// PUBLISH reaches channel and pattern subscribers on other connections (counted once per
    /// subscription), SPUBLISH only shard subscribers; patterns use Redis's globs.
    @Test(arguments: ["2", "3"])
    func publishReachesChannelPatternAndShardSubscribers(protocolVersion: String) async throws {
        let steps = [
            .hello(0, protocolVersion), .hello(1, protocolVersion), .hello(2, protocolVersion),
            PubSubStep(0, ["SUBSCRIBE", "news", "h\u{00e9}llo", ""]),
            PubSubStep(1, ["PSUBSCRIBE", "n*"]),
            PubSubStep(2, ["SSUBSCRIBE", "news"]),
            PubSubStep(3, ["PUBLISH", "news", "first"], ["PUBLISH", "other", "lost"], ["SPUBLISH", "news", "shard"]),
            PubSubStep(3, ["SPUBLISH", "other", "lost"], ["PUBLISH", "", "empty channel"], ["PUBLISH", "news", ""]),
            PubSubStep(3, ["PUBLISH", "h\u{00e9}llo", "caf\u{00e9}"], ["PUBLISH", "nothing", "to n*"]),
            PubSubStep(3, ["PUBSUB", "NUMSUB"], ["PUBSUB", "NUMSUB", "news", "n*", "other", "news"], ["PUBSUB", "NUMPAT"]),
            PubSubStep(3, ["PUBSUB", "SHARDNUMSUB", "news", "other"], ["PUBSUB", "SHARDNUMSUB"], ["PUBSUB", "SHARDCHANNELS"]),
            PubSubStep(3, ["PUBSUB", "CHANNELS", "ne*"], ["PUBSUB", "CHANNELS", "x*"], ["PUBSUB", "SHARDCHANNELS", "n?ws"]),
            PubSubStep(0, ["PSUBSCRIBE", "news"]),
            PubSubStep(3, ["PUBLISH", "news", "twice to 0"], ["PUBSUB", "NUMPAT"]),
            PubSubStep(1, ["PSUBSCRIBE", "h[ae]llo", "h?llo", "\\*"]),
            PubSubStep(3, ["PUBLISH", "hallo", "one"], ["PUBLISH", "hello", "two"], ["PUBLISH", "*", "star"], unordered: true),
            PubSubStep(3, ["PUBLISH", "hxllo", "three"], ["PUBLISH", "x", "none"], ["PUBSUB", "NUMPAT"]),
            PubSubStep(1, ["PUNSUBSCRIBE", "n*", "nothing"], ["PUNSUBSCRIBE", "h?llo"]),
            PubSubStep(3, ["PUBLISH", "news", "after punsubscribe"], ["PUBLISH", "hxllo", "gone"]),
        ]
        try await PubSubDifferential.compare(steps, connections: 4, label: "publish RESP\(protocolVersion)")
    }

    /// A RESP3 subscriber runs any command, its replies and the messages interleaved; a
    /// connection publishing to itself sees the message before PUBLISH's answer.
    @Test func resp3SubscriberRunsCommandsBetweenMessages() async throws {
        let steps = [
            .hello(0, "3"),
            PubSubStep(0, ["SUBSCRIBE", "ch"], ["SET", "k", "v"], ["GET", "k"]),
            PubSubStep(1, ["PUBLISH", "ch", "m1"]),
            PubSubStep(0, ["GET", "k"], ["PUBLISH", "ch", "to myself"], ["INCR", "n"]),
            PubSubStep(1, ["PUBLISH", "ch", "m2"], ["PUBLISH", "ch", "m3"]),
            .hello(0, "2"),
            PubSubStep(0, ["GET", "k"], ["PING"]),
            PubSubStep(1, ["PUBLISH", "ch", "now RESP2"]),
            PubSubStep(0, ["UNSUBSCRIBE", "ch"], ["GET", "k"]),
            PubSubStep(1, ["PUBLISH", "ch", "nobody"]),
        ]
        try await PubSubDifferential.compare(steps, connections: 2, label: "RESP3 subscriber")
    }

    /// SUBSCRIBE and PUBLISH inside MULTI/EXEC; SSUBSCRIBE refused there, as Redis 7.0 does.
    @Test(arguments: ["2", "3"])
    func subscribeInsideTransaction(protocolVersion: String) async throws {
        let steps = [
            .hello(0, protocolVersion), .hello(1, protocolVersion),
            PubSubStep(0, ["MULTI"], ["SUBSCRIBE", "q"], ["PUBLISH", "q", "z"], ["EXEC"]),
            PubSubStep(1, ["MULTI"], ["SSUBSCRIBE", "q"], ["GET", "k"], ["EXEC"]),
            PubSubStep(1, ["PUBLISH", "q", "after exec"], ["SPUBLISH", "q", "nobody"]),
        ]
        try await PubSubDifferential.compare(steps, connections: 2, label: "MULTI RESP\(protocolVersion)")
    }

    /// RESET leaves subscribed mode without a word, and no message reaches the connection after it.
    @Test func resetDropsEverySubscription() async throws {
        let steps = [
            PubSubStep(0, ["SUBSCRIBE", "a"], ["PSUBSCRIBE", "a*"], ["SSUBSCRIBE", "a"], ["RESET"], ["GET", "k"]),
            PubSubStep(1, ["PUBLISH", "a", "x"], ["SPUBLISH", "a", "y"], ["PUBSUB", "NUMSUB", "a"], ["PUBSUB", "NUMPAT"]),
            .hello(0, "3"),
            PubSubStep(0, ["SUBSCRIBE", "b"], ["RESET"], ["UNSUBSCRIBE"], ["GET", "k"]),
            PubSubStep(1, ["PUBLISH", "b", "x"], ["PUBSUB", "SHARDNUMSUB", "a"]),
        ]
        try await PubSubDifferential.compare(steps, connections: 2, label: "RESET")
    }

    /// PUBSUB's errors and help, and the arity of every pub/sub command.
    @Test func pubsubErrorsAndHelp() async throws {
        let cases: [RawCase] = [
            RawCase("PUBSUB"), RawCase("PUBSUB", "HELP"), RawCase("PUBSUB", "help", "x"), RawCase("PUBSUB", "NOSUCH"),
            RawCase("PUBSUB", "NUMPAT", "x"), RawCase("PUBSUB", "CHANNELS", "a", "b"),
            RawCase("PUBSUB", "SHARDCHANNELS", "a", "b"), RawCase("PUBSUB", "channels"), RawCase("PUBSUB", "numsub"),
            RawCase("PUBLISH"), RawCase("PUBLISH", "ch"), RawCase("PUBLISH", "ch", "m", "x"), RawCase("SPUBLISH", "ch"),
            RawCase("PUBLISH", "ch", "m"), RawCase("SPUBLISH", "ch", "m"), RawCase("SUBSCRIBE"), RawCase("PSUBSCRIBE"),
            RawCase("SSUBSCRIBE"),
        ]
        try await RawDifferential.compare(cases, label: "PUBSUB errors")
    }
}
