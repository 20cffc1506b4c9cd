/// Names one connection is subscribed to, remembering the order of subscription (which
/// UNSUBSCRIBE without arguments follows). Insert, remove and lookup are O(1).
struct SubscriptionSet {
    private var sequence: [[UInt8]: UInt64] = [:]
    private var next: UInt64 = 0

    var count: Int { sequence.count }
    var isEmpty: Bool { sequence.isEmpty }

    func contains(_ name: [UInt8]) -> Bool { sequence[name] != nil }

    /// Adds `name`; `false` when it was there already.
    mutating func insert(_ name: [UInt8]) -> Bool {
        guard sequence[name] == nil else { return false }
        sequence[name] = next
        next &+= 1
        return true
    }

    /// Removes `name`; `false` when it was not there.
    mutating func remove(_ name: [UInt8]) -> Bool {
        sequence.removeValue(forKey: name) != nil
    }

    /// Every name, oldest subscription first.
    var inSubscriptionOrder: [[UInt8]] {
        sequence.sorted { $0.value < $1.value }.map(\.key)
    }
}
