import Foundation
import NIOCore
import SidecacheRESP
import Testing

@testable import SidecacheEngine

/// The Bloom filter structure: RedisBloom's sizing and hashing (checked against the layer
/// figures RedisBloom's own tests expect), the false-positive rate and memory goals, and
/// scaling.
@Suite("Bloom filter")
struct BloomFilterTests {
    static func add(_ filter: BloomFilterValue, _ item: String) -> BloomFilterValue.AddResult {
        Array(item.utf8).withUnsafeBytes { filter.add($0) }
    }

    static func contains(_ filter: BloomFilterValue, _ item: String) -> Bool {
        Array(item.utf8).withUnsafeBytes { filter.contains($0) }
    }

    struct LayerFigures: Equatable, CustomStringConvertible {
        var capacity: UInt64, count: UInt64, bytes: Int, hashes: Int
        var description: String { "capacity:\(capacity) size:\(count) bytes:\(bytes) hashes:\(hashes)" }
    }

    static func figures(_ filter: BloomFilterValue) -> [LayerFigures] {
        filter.layers.map { LayerFigures(capacity: $0.capacity, count: $0.count, bytes: $0.byteCount, hashes: $0.hashCount) }
    }

    // MARK: RedisBloom compatibility

    /// RedisBloom's `test_debug` (tests/flow/test_overall.py): the same items land in the
    /// same layers, so the hashes, the probes and the sizes are RedisBloom's.
    @Test func layersMatchRedisBlooms() throws {
        let small = try #require(BloomFilterValue(capacity: 10, errorRate: 0.01, expansion: 2, scaling: true))
        for item in 0..<100 { _ = Self.add(small, String(item)) }
        #expect(small.count == 99)
        #expect(
            Self.figures(small) == [
                LayerFigures(capacity: 10, count: 10, bytes: 16, hashes: 8),
                LayerFigures(capacity: 20, count: 20, bytes: 32, hashes: 9),
                LayerFigures(capacity: 40, count: 40, bytes: 72, hashes: 10),
                LayerFigures(capacity: 80, count: 29, bytes: 160, hashes: 11),
            ])
        #expect(small.layers.map(\.errorRate) == [0.005, 0.0025, 0.00125, 0.000625])

        let large = try #require(BloomFilterValue(capacity: 100, errorRate: 0.001, expansion: 2, scaling: true))
        for item in 0..<4000 { _ = Self.add(large, String(item)) }
        #expect(large.count == 3997)
        #expect(
            Self.figures(large) == [
                LayerFigures(capacity: 100, count: 100, bytes: 200, hashes: 11),
                LayerFigures(capacity: 200, count: 200, bytes: 432, hashes: 12),
                LayerFigures(capacity: 400, count: 400, bytes: 936, hashes: 13),
                LayerFigures(capacity: 800, count: 800, bytes: 2016, hashes: 14),
                LayerFigures(capacity: 1600, count: 1600, bytes: 4320, hashes: 15),
                LayerFigures(capacity: 3200, count: 897, bytes: 9216, hashes: 16),
            ])
        #expect(large.capacity == 6300)
    }

    /// RedisBloom's `test_expansion`: 100 items into filters of 4 at 1% grown by 1, 2 and 4.
    @Test(arguments: [(UInt32(1), 23), (2, 5), (4, 4)])
    func expansionDecidesTheNumberOfLayers(expansion: UInt32, layers: Int) throws {
        let filter = try #require(BloomFilterValue(capacity: 4, errorRate: 0.01, expansion: expansion, scaling: true))
        for item in 0..<100 { _ = Self.add(filter, String(item)) }
        #expect(filter.layers.count == layers)
        #expect((0..<100).allSatisfy { Self.contains(filter, String($0)) })
    }

    /// RedisBloom's `test_info` and `test_insert`: the sizes BF.INFO and BF.DEBUG report.
    @Test func sizesMatchRedisBlooms() throws {
        let reserved = try #require(BloomFilterValue(capacity: 100, errorRate: 0.001, expansion: 2, scaling: true))
        #expect(reserved.memoryUsage == 296)
        let inserted = try #require(BloomFilterValue(capacity: 50_000, errorRate: 0.001, expansion: 2, scaling: true))
        #expect(Self.figures(inserted) == [LayerFigures(capacity: 50_000, count: 0, bytes: 98_880, hashes: 11)])
        #expect(inserted.layers[0].bitCount == 791_040)
        let defaults = try #require(BloomFilterValue(capacity: 100, errorRate: 0.01, expansion: 2, scaling: true))
        #expect(defaults.memoryUsage == 240)  // the redis.io BF.INFO example
    }

    // MARK: The goals: false positives and memory

    /// A non-scaling filter filled to capacity, probed with items never added: the measured
    /// false-positive rate is within ±15% of the requested one.
    @Test(arguments: [(0.01, 40_000, 200_000), (0.001, 20_000, 400_000)])
    func falsePositiveRateIsTheRequestedOne(errorRate: Double, capacity: Int, probes: Int) throws {
        let filter = try #require(BloomFilterValue(capacity: UInt64(capacity), errorRate: errorRate, expansion: 2, scaling: false))
        // Items that happen to look present already are not counted: add until it is full.
        var added = 0
        while Self.add(filter, "member:\(added)") != .full { added += 1 }
        #expect(filter.count == UInt64(capacity) && added < capacity + capacity / 50)
        #expect((0..<added).allSatisfy { Self.contains(filter, "member:\($0)") })
        let falsePositives = (0..<probes).count { Self.contains(filter, "stranger:\($0)") }
        let rate = Double(falsePositives) / Double(probes)
        #expect(abs(rate - errorRate) <= 0.15 * errorRate, "measured \(rate) for \(errorRate)")
    }

    /// Bits per item of a non-scaling filter at most 1.05 × the optimum 1.44·log2(1/p); the
    /// filter's whole accounted size (RedisBloom's headers included) too.
    @Test(arguments: [0.1, 0.01, 0.001, 0.0001])
    func memoryIsWithinFivePercentOfTheOptimum(errorRate: Double) throws {
        let capacity = 50_000
        let filter = try #require(BloomFilterValue(capacity: UInt64(capacity), errorRate: errorRate, expansion: 2, scaling: false))
        let optimum = 1.0 / log(2.0) * log2(1 / errorRate)
        let bitsPerItem = Double(filter.layers[0].bitCount) / Double(capacity)
        #expect(bitsPerItem >= optimum && bitsPerItem <= 1.05 * optimum, "\(bitsPerItem) bits per item, optimum \(optimum)")
        #expect(Double(filter.memoryUsage * 8) / Double(capacity) <= 1.05 * optimum)
        #expect(filter.layers[0].hashCount == Int(log2(1 / errorRate).rounded(.up)))
    }

    /// A scaling filter grown well past its capacity keeps its overall rate under p: each
    /// layer has `expansion` times the capacity and half the rate of the one before.
    @Test func aScalingFilterGrowsAndKeepsItsRate() throws {
        let filter = try #require(BloomFilterValue(capacity: 1_000, errorRate: 0.01, expansion: 2, scaling: true))
        for item in 0..<30_000 { _ = Self.add(filter, "member:\(item)") }
        #expect(filter.layers.map(\.capacity) == [1_000, 2_000, 4_000, 8_000, 16_000])
        #expect(filter.layers.map(\.errorRate) == [0.005, 0.0025, 0.00125, 0.000625, 0.0003125])
        #expect((0..<30_000).allSatisfy { Self.contains(filter, "member:\($0)") })
        let probes = 100_000
        let rate = Double((0..<probes).count { Self.contains(filter, "stranger:\($0)") }) / Double(probes)
        #expect(rate <= 0.01 * 1.15, "measured \(rate)")
    }

    @Test func anAddedItemIsPresentAndNotCountedTwice() throws {
        let filter = try #require(BloomFilterValue(capacity: 100, errorRate: 0.01, expansion: 2, scaling: true))
        #expect(Self.add(filter, "a") == .added)
        #expect(Self.add(filter, "a") == .present)
        #expect(Self.add(filter, "") == .added)
        #expect(Self.contains(filter, ""))
        #expect(filter.count == 2)
        let copy = filter.copy()
        #expect(Self.add(copy, "b") == .added)
        #expect(!Self.contains(filter, "b") && filter.count == 2)
    }

    /// Sizes that cannot be allocated are refused rather than attempted.
    @Test func hugeFiltersAreRefused() throws {
        #expect(BloomFilterValue(capacity: 1 << 40, errorRate: 0.01, expansion: 2, scaling: false) == nil)
        let filter = try #require(BloomFilterValue(capacity: 1, errorRate: 0.01, expansion: UInt32.max, scaling: true))
        #expect(Self.add(filter, "a") == .added)
        // The second layer: 4294967295 items at 0.25%, 6.2 GiB of bits.
        #expect(Self.add(filter, "b") == .tooLarge)
        #expect(filter.layers.count == 1 && filter.count == 1)
    }
}
