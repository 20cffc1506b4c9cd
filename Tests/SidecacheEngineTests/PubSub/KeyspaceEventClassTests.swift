import SidecacheEngine
import Testing

/// `notify-keyspace-events` letters as Redis 7.0 reads and prints them (the same answers are
/// compared with redis-server in the server's differential tests).
@Suite struct KeyspaceEventClassTests {
    @Test(arguments: [
        ("", ""), ("KEA", "AKE"), ("AKE", "AKE"), ("gx$E", "g$xE"), ("Kg$lshzxetdnm", "AKm"), ("Kg$lshzxtdnm", "g$lshzxtdnKm"),
        ("g$lshzxetd", "A"), ("AAKK", "AK"), ("n", "n"), ("m", "m"), ("E", "E"),
        // Redis 7.0 prints `n` only when `A` is not printed, though the class stays on.
        ("KEAn", "AKE"),
    ])
    func canonicalForm(_ written: String, _ printed: String) throws {
        let classes = try #require(KeyspaceEventClass(flags: written.utf8))
        #expect(classes.flagString == printed)
    }

    @Test func lettersSelectTheirClasses() throws {
        #expect(KeyspaceEventClass(flags: "KEAn".utf8) == KeyspaceEventClass.all.union([.keyspace, .keyevent, .new]))
        #expect(KeyspaceEventClass(flags: "Ex".utf8) == [.keyevent, .expired])
        #expect(!KeyspaceEventClass.all.contains(.keyMiss) && !KeyspaceEventClass.all.contains(.new))
    }

    @Test(arguments: ["KEq", "kea", "K E", "A!", "\u{00e9}"])
    func anyOtherLetterIsRefused(_ written: String) {
        #expect(KeyspaceEventClass(flags: written.utf8) == nil)
    }

    /// Like Redis (a C string), reading stops at a NUL byte.
    @Test func readingStopsAtNul() {
        #expect(KeyspaceEventClass(flags: [UInt8(ascii: "K"), 0, UInt8(ascii: "q")]) == [.keyspace])
    }
}
