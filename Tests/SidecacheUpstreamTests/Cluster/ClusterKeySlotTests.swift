import NIOCore
import SidecacheUpstream
import Testing

/// `ClusterKeySlot` on known vectors; `LiveClusterTests` compares it with CLUSTER KEYSLOT.
struct ClusterKeySlotTests {
    @Test func crc16IsXmodem() {
        // The check value of CRC-16/XMODEM, which Redis's crc16.c documents.
        #expect(Array("123456789".utf8).withUnsafeBytes { ClusterKeySlot.crc16($0) } == 0x31C3)
        #expect([UInt8]().withUnsafeBytes { ClusterKeySlot.crc16($0) } == 0)
    }

    @Test(arguments: [
        // Slots CLUSTER KEYSLOT gives for these (redis-server 7.0).
        ("foo", 12182), ("bar", 5061), ("", 0), ("123456789", 12739),
        ("{user1000}.following", 3443), ("{user1000}.followers", 3443), ("user1000", 3443),
        // Empty first tag: the whole key. Nested: from the first { to the first } after it.
        ("foo{}{bar}", ClusterKeySlot.slot(for: Array("foo{}{bar}".utf8))),
        ("foo{{bar}}zap", ClusterKeySlot.slot(for: Array("{bar".utf8))),
        ("foo{bar}{zap}", ClusterKeySlot.slot(for: Array("bar".utf8))),
        ("{", ClusterKeySlot.slot(for: Array("{".utf8))), ("}{", ClusterKeySlot.slot(for: Array("}{".utf8))),
    ])
    func knownSlots(key: String, slot: Int) {
        #expect(ClusterKeySlot.slot(for: Array(key.utf8)) == slot)
        #expect(ClusterKeySlot.slot(for: ByteBuffer(string: key)) == slot)
    }

    @Test func hashTags() {
        func part(_ key: String) -> String {
            Array(key.utf8).withUnsafeBytes { String(decoding: ClusterKeySlot.hashedPart(of: $0), as: UTF8.self) }
        }
        #expect(part("plain") == "plain")
        #expect(part("a{b}c") == "b")
        #expect(part("a{}{b}") == "a{}{b}")
        #expect(part("{{b}}") == "{b")
        #expect(part("x{y") == "x{y")
        #expect(part("x}y{z}") == "z")
        #expect(part("{}") == "{}")
    }

    @Test func everySlotIsInRange() {
        var random = SplitMix64(seed: 7)
        for _ in 0..<2000 {
            let key = (0..<random.next(below: 40)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            #expect((0..<16384).contains(ClusterKeySlot.slot(for: key)))
        }
    }
}
