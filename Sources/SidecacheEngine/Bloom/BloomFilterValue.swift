/// A scalable Bloom filter (RedisBloom's `MBbloom--` type): a chain of `BloomFilterLayer`s
/// that behaves as RedisBloom's `sb.c` does.
///
/// A filter starts with one layer for its capacity. A non-scaling filter gives that layer
/// the whole error rate p, which makes it an optimally sized plain Bloom filter, and refuses
/// new items once it holds `capacity`. A scaling filter gives the first layer p/2 and, each
/// time the newest layer is full, adds one of `expansion` times its capacity at half its
/// error rate: the rates p/2 + p/4 + … stay below p however far it grows.
package final class BloomFilterValue: CollectionValue, @unchecked Sendable {
    /// RedisBloom's `ERROR_TIGHTENING_RATIO`.
    static let tighteningRatio = 0.5

    private(set) var layers: [BloomFilterLayer]
    /// Items added (`SBChain.size`): those that set at least one bit.
    private(set) var count: UInt64 = 0
    /// Capacity factor of each new layer (`growth`, an `unsigned` in RedisBloom).
    let expansion: UInt32
    let isScaling: Bool

    /// The outcome of `add`.
    enum AddResult {
        /// The item set at least one bit.
        case added
        /// Every bit was already set in some layer: the item is (probably) present.
        case present
        /// A non-scaling filter is at capacity.
        case full
        /// The next layer would be too large to allocate.
        case tooLarge
    }

    /// `SB_NewChain`: a filter for `capacity` items at `errorRate`, or `nil` when its
    /// first layer would be too large.
    init?(capacity: UInt64, errorRate: Double, expansion: UInt32, scaling: Bool) {
        let firstRate = scaling ? errorRate * Self.tighteningRatio : errorRate
        guard let first = BloomFilterLayer(capacity: capacity, errorRate: firstRate) else { return nil }
        layers = [first]
        self.expansion = expansion
        self.isScaling = scaling
    }

    private init(copying other: BloomFilterValue) {
        layers = other.layers
        count = other.count
        expansion = other.expansion
        isScaling = other.isScaling
    }

    /// `SBChain_Check`: whether `item` may have been added (newest layer first).
    func contains(_ item: UnsafeRawBufferPointer) -> Bool {
        let hash = BloomHash(item)
        return layers.reversed().contains { $0.contains(hash) }
    }

    /// `SBChain_Add`: adds `item` unless some layer already holds it; grows the chain first
    /// when the newest layer is full.
    func add(_ item: UnsafeRawBufferPointer) -> AddResult {
        let hash = BloomHash(item)
        if layers.reversed().contains(where: { $0.contains(hash) }) { return .present }
        let newest = layers[layers.count - 1]
        if newest.count >= newest.capacity {
            guard isScaling else { return .full }
            let (capacity, overflow) = newest.capacity.multipliedReportingOverflow(by: UInt64(expansion))
            guard !overflow,
                let layer = BloomFilterLayer(capacity: capacity, errorRate: newest.errorRate * Self.tighteningRatio)
            else { return .tooLarge }
            layers.append(layer)
        }
        guard layers[layers.count - 1].add(hash) else { return .present }
        count += 1
        return .added
    }

    /// BF.INFO's Capacity: the sum of the layers' capacities.
    var capacity: UInt64 { layers.reduce(0) { $0 &+ $1.capacity } }

    /// BF.INFO's Size, in RedisBloom's accounting (`BFMemUsage`): the chain (32 bytes), a
    /// 64-byte link per layer and the layers' bits. The same figure answers MEMORY USAGE.
    var memoryUsage: Int { layers.reduce(32) { $0 + 64 + $1.byteCount } }

    // MARK: CollectionValue

    package var encodingName: StaticString { "raw" }
    package var estimatedMemoryUsage: Int { memoryUsage }
    /// Redis cannot serialize a module type without the module: DUMP answers an error.
    package var dumpValue: DumpValue? { nil }
    package func copy() -> Self { Self(copying: self) }
}
