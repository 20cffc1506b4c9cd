@testable import SidecacheEngine
import Testing

@Suite("Key table")
struct KeyTableTests {
    static func key(_ number: Int) -> [UInt8] { Array("key:\(number)".utf8) }

    static func insert(_ table: KeyTable, _ number: Int) {
        key(number).withUnsafeBytes { bytes in
            table.insert(KeyEntry.make(key: bytes, hash: Database.hash(bytes), value: .integer(Int64(number)), accessClock: 0))
        }
    }

    static func find(_ table: KeyTable, _ number: Int) -> KeyEntry? {
        key(number).withUnsafeBytes { table.find($0, hash: Database.hash($0)) }
    }

    static func remove(_ table: KeyTable, _ number: Int) -> KeyEntry? {
        key(number).withUnsafeBytes { table.remove($0, hash: Database.hash($0)) }
    }

    @Test func findsEveryKeyWhileGrowingIncrementally() {
        let table = KeyTable()
        var sawRehash = false
        for number in 0..<5000 {
            Self.insert(table, number)
            sawRehash = sawRehash || table.isRehashing
        }
        #expect(sawRehash)
        #expect(table.count == 5000)
        for number in 0..<5000 {
            guard case .integer(let value)? = Self.find(table, number)?.value else {
                Issue.record("key \(number) missing")
                return
            }
            #expect(value == Int64(number))
        }
        #expect(Self.find(table, 5000) == nil)
    }

    @Test func removesAndShrinks() {
        let table = KeyTable()
        for number in 0..<4096 { Self.insert(table, number) }
        while table.rehash(steps: 100) {}
        let grownBuckets = table.bucketCount
        for number in 0..<4000 { #expect(Self.remove(table, number) != nil) }
        #expect(Self.remove(table, 1) == nil)
        #expect(table.count == 96)
        table.shrinkIfNeeded()
        while table.rehash(steps: 100) {}
        #expect(table.bucketCount < grownBuckets)
        for number in 4000..<4096 { #expect(Self.find(table, number) != nil) }
    }

    @Test func replaceKeepsTheChainAndTheCount() {
        let table = KeyTable()
        for number in 0..<100 { Self.insert(table, number) }
        let old = Self.find(table, 42)!
        let replacement = Self.key(42).withUnsafeBytes {
            KeyEntry.make(key: $0, hash: old.hash, value: .integer(-1), accessClock: 0)
        }
        table.replace(old, with: replacement)
        #expect(Self.find(table, 42) === replacement)
        #expect(table.count == 100)
        for number in 0..<100 where number != 42 { #expect(Self.find(table, number) != nil) }
    }

    /// Redis's SCAN guarantee: every key present for the whole iteration is returned, even
    /// when the table grows and shrinks between steps.
    @Test(arguments: [true, false])
    func scanReturnsEveryStableKeyAcrossResizes(growing: Bool) {
        let table = KeyTable()
        let stable = 0..<300
        for number in stable { Self.insert(table, number) }
        if !growing {
            for number in 1000..<9000 { Self.insert(table, number) }
            while table.rehash(steps: 1000) {}
        }
        var seen = Set<[UInt8]>()
        var cursor: UInt64 = 0
        var step = 0
        repeat {
            cursor = table.scan(cursor: cursor) { seen.insert($0.key) }
            step += 1
            if growing && step <= 160 {
                for number in (10_000 + step * 50)..<(10_000 + step * 50 + 50) { Self.insert(table, number) }
            } else if step % 2 == 0 && 1000 + step * 200 < 9000 {
                for number in (1000 + step * 200)..<min(9000, 1000 + step * 200 + 200) { _ = Self.remove(table, number) }
                table.shrinkIfNeeded()
            }
            _ = table.rehash(steps: 3)
        } while cursor != 0 && step < 100_000
        #expect(cursor == 0)
        let missing = stable.filter { !seen.contains(Self.key($0)) }
        #expect(missing.isEmpty, "never returned: \(missing)")
    }

    @Test func randomEntryReachesEveryKey() {
        let table = KeyTable()
        for number in 0..<20 { Self.insert(table, number) }
        var generator = FastRandom()
        var seen = Set<[UInt8]>()
        for _ in 0..<2000 { if let entry = table.randomEntry(using: &generator) { seen.insert(entry.key) } }
        #expect(seen.count == 20)
        #expect(KeyTable().randomEntry(using: &generator) == nil)
    }

    @Test func removeAllEmptiesTheTable() {
        let table = KeyTable()
        for number in 0..<1000 { Self.insert(table, number) }
        table.removeAll()
        #expect(table.count == 0)
        #expect(Self.find(table, 1) == nil)
        Self.insert(table, 1)
        #expect(Self.find(table, 1) != nil)
    }
}

@Suite("Expiring keys")
struct ExpiringKeysTests {
    @Test func addRemoveKeepsSlotsConsistent() {
        var list = ExpiringKeys()
        let entries = (0..<10_000).map { number in
            KeyTableTests.key(number).withUnsafeBytes {
                KeyEntry.make(key: $0, hash: Database.hash($0), value: .integer(0), accessClock: 0)
            }
        }
        for (index, entry) in entries.enumerated() { list.add(entry, at: Int64(index)) }
        #expect(list.count == 10_000)
        for entry in entries.enumerated().filter({ $0.offset % 3 == 0 }).map(\.element) { list.remove(entry) }
        #expect(list.count == 10_000 - 3334)
        for slot in 0..<list.count {
            let entry = list[slot]
            #expect(entry.hasExpire)
            #expect(Int(entry.fields.pointee.expireSlot) == slot)
        }
        #expect(!entries[0].hasExpire)
        #expect(entries[1].expireAt == 1)
    }
}

@Suite("Key entry layout")
struct KeyEntryLayoutTests {
    /// The memory goal depends on this: see `KeyEntryHeader`.
    @Test func headerPacksIntoFortyFourBytes() {
        #expect(MemoryLayout<KeyEntryHeader>.size == 44)
    }
}
