import Foundation
import NIOCore
import SidecacheRESP
import Testing

@testable import SidecacheEngine

#if canImport(Glibc)
import Glibc
#endif

/// used_memory against the heap's real growth (glibc's `mallinfo2`: bytes in use in chunks,
/// mmapped blocks included) for the benchmark data sets of `scripts/bench`. Slow (a million
/// keys in a debug build) and sensitive to other tests allocating in the same process, so it
/// runs only when asked: `SIDECACHE_MEASURE_MEMORY=1 swift test --skip-build --filter HeapGrowth`.
@Suite(
    "Heap growth", .enabled(if: ProcessInfo.processInfo.environment["SIDECACHE_MEASURE_MEMORY"] == "1"), .serialized
)
struct HeapGrowthMeasurement {
    /// glibc's `mallinfo2().uordblks + hblkhd`. `<malloc.h>` is not in the Glibc module, so
    /// the function is found with `dlsym`; its 80-byte struct result comes back through the
    /// hidden result pointer, which the x86-64 System V ABI passes as the first argument.
    static func heapBytes() -> Int {
        #if canImport(Glibc) && arch(x86_64)
        typealias MallInfo2 = @convention(c) (UnsafeMutableRawPointer) -> Void
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallinfo2") else { return 0 }
        var fields = [Int](repeating: 0, count: 10)
        fields.withUnsafeMutableBytes { unsafeBitCast(symbol, to: MallInfo2.self)($0.baseAddress!) }
        // arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost
        return fields[7] + fields[4]
        #else
        return 0
        #endif
    }

    static func trim() {
        #if canImport(Glibc)
        typealias MallocTrim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
        #endif
    }

    /// Loads `count` keys with `command(i)` into a new keyspace; returns (heap growth, used_memory).
    static func measure(count: Int, _ command: (Int) -> [String]) throws -> (heap: Int, used: Int) {
        let client = EngineClient(allocator: ByteBufferAllocator())
        let keyspace = Keyspace(databases: 16)
        let handler = try #require(EngineHarness.handlers[command(0)[0].lowercased()])
        client.frame = RESPCommandFrame(strings: command(0))
        trim()
        let heapBefore = heapBytes()
        let usedBefore = keyspace.withState { $0.usedMemory }
        for index in 0..<count {
            client.frame = RESPCommandFrame(strings: command(index))
            client.out.clear()
            keyspace.withState { handler(client, $0.database(0)) }
        }
        client.frame = RESPCommandFrame()
        trim()
        let heap = heapBytes() - heapBefore
        let used = keyspace.withState { $0.usedMemory } - usedBefore
        withExtendedLifetime(keyspace) {}
        return (heap, used)
    }

    static func check(_ name: String, count: Int, _ command: (Int) -> [String]) throws {
        let (heap, used) = try measure(count: count, command)
        let error = Double(used - heap) / Double(heap) * 100
        print("heap growth \(name): \(count) keys, heap +\(heap) B (\(heap / count) B/key), "
            + "used_memory +\(used) B (\(used / count) B/key), difference \(String(format: "%+.1f", error))%")
        #expect(abs(error) <= 10)
    }

    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    @Test("1,000,000 short strings")
    func strings() throws {
        try Self.check("strings", count: 1_000_000) { ["SET", "key:\(Self.padded($0, 7))", "value:\(Self.padded($0, 26))"] }
    }

    @Test("1,000,000 short strings with a TTL")
    func stringsWithTTL() throws {
        try Self.check("strings with TTL", count: 1_000_000) {
            ["SET", "key:\(Self.padded($0, 7))", "value:\(Self.padded($0, 26))", "EX", "86400"]
        }
    }

    @Test("100,000 hashes of 10 fields")
    func hashes() throws {
        try Self.check("hashes", count: 100_000) { index in
            ["HSET", "hash:\(Self.padded(index, 7))"] + (0..<10).flatMap { ["field:\($0)", "val:\(Self.padded(index, 12))"] }
        }
    }

    @Test("100,000 sorted sets of 10 members")
    func sortedSets() throws {
        try Self.check("sorted sets", count: 100_000) { index in
            ["ZADD", "zset:\(Self.padded(index, 7))"] + (0..<10).flatMap { ["\($0)", "member:\($0):\(Self.padded(index, 8))"] }
        }
    }
}
