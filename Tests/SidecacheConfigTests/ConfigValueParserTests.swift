import SidecacheConfig
import Testing

@Suite struct ConfigValueParserTests {
    @Test(arguments: [
        ("100", 100), ("0", 0), ("007", 7), ("1b", 1), ("1B", 1),
        ("1k", 1000), ("1K", 1000), ("1kb", 1024), ("1KB", 1024), ("1kB", 1024),
        ("1m", 1_000_000), ("1mb", 1_048_576), ("512mb", 536_870_912), ("1Mb", 1_048_576),
        ("1g", 1_000_000_000), ("1G", 1_000_000_000), ("1gb", 1_073_741_824), ("1GB", 1_073_741_824),
        ("9223372036854775807", Int.max), ("9223372036854775807b", Int.max), ("8589934591gb", 8_589_934_591 << 30),
    ])
    func memoryAcceptsRedisSizes(text: String, bytes: Int) {
        #expect(ConfigValueParser.memory(text) == bytes)
    }

    @Test(arguments: [
        "", "-1", "-1mb", "+1", "1.5mb", "1.5", "mb", "b", " 1", "1 ", "1 mb", "1mb ", "1tb", "1kbb", "1bk", "0x10", "1e3",
        "9223372036854775808", "8589934592gb", "9223372036854775807k", "1\u{212A}", "\u{0661}", "1kb\0",
    ])
    func memoryRejectsEverythingElse(text: String) {
        #expect(ConfigValueParser.memory(text) == nil)
    }

    @Test(arguments: [
        ("0", Duration.zero), ("5", .seconds(5)), ("5s", .seconds(5)), ("5S", .seconds(5)),
        ("500ms", .milliseconds(500)), ("250us", .microseconds(250)), ("2m", .seconds(120)), ("1h", .seconds(3600)),
        ("1H", .seconds(3600)), ("1d", .seconds(86400)), ("0ms", .zero), ("9223372036854775807", .seconds(Int.max)),
    ])
    func durationAcceptsNumbersWithUnits(text: String, duration: Duration) {
        #expect(ConfigValueParser.duration(text) == duration)
    }

    @Test(arguments: [
        "", "-1", "-5s", "s", "ms", "1.5s", "5 s", " 5s", "5sec", "1w", "1y", "5mss", "+5",
        "99999999999999999999", "153722867280912931m", "106751991167300641d",
    ])
    func durationRejectsEverythingElse(text: String) {
        #expect(ConfigValueParser.duration(text) == nil)
    }

    @Test(arguments: [
        ("yes", true), ("YES", true), ("true", true), ("True", true), ("on", true), ("ON", true),
        ("no", false), ("No", false), ("false", false), ("FALSE", false), ("off", false), ("Off", false),
    ])
    func boolAcceptsRedisWords(text: String, value: Bool) {
        #expect(ConfigValueParser.bool(text) == value)
    }

    @Test(arguments: ["", "1", "0", "y", "n", "yess", " yes", "no ", "enabled", "t"])
    func boolRejectsEverythingElse(text: String) {
        #expect(ConfigValueParser.bool(text) == nil)
    }
}
