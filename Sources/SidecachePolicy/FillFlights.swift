/// The fills in progress, one per key (single-flight): a miss joins the fill of its key when
/// there is one, or starts one. A write or an invalidation of a key marks its fill, whose
/// result then is not kept (it may predate the change), and later misses start a new one.
public struct FillFlights<Waiter>: Sendable where Waiter: Sendable {
    public final class Flight: @unchecked Sendable {
        public let key: CacheKey
        /// Set when the key changed while the fill was under way.
        public internal(set) var invalidated = false
        public internal(set) var waiters: [Waiter] = []

        init(key: CacheKey) {
            self.key = key
        }
    }

    private var flights: [CacheKey: Flight] = [:]

    public init() {}

    public var count: Int { flights.count }

    /// Adds `waiter` to the fill of `key`; returns the flight and whether it is new (the caller
    /// then fetches). With `shared` false every miss gets a fill of its own.
    public mutating func join(_ key: CacheKey, waiter: Waiter, shared: Bool) -> (flight: Flight, isNew: Bool) {
        if shared, let flight = flights[key], !flight.invalidated {
            flight.waiters.append(waiter)
            return (flight, false)
        }
        let flight = Flight(key: key)
        flight.waiters.append(waiter)
        if shared { flights[key] = flight }
        return (flight, true)
    }

    /// Marks the fill of `key` (if any) invalidated and forgets it, so later misses fetch anew.
    public mutating func invalidate(_ key: CacheKey) {
        guard let flight = flights.removeValue(forKey: key) else { return }
        flight.invalidated = true
    }

    /// Marks every fill (of `database`, or all when `nil`) invalidated.
    public mutating func invalidateAll(database: Int?) {
        for (key, flight) in flights where database == nil || key.database == database {
            flight.invalidated = true
            flights[key] = nil
        }
    }

    /// The fill is done: it stops taking waiters; returns them.
    public mutating func finish(_ flight: Flight) -> [Waiter] {
        if flights[flight.key] === flight { flights[flight.key] = nil }
        let waiters = flight.waiters
        flight.waiters = []
        return waiters
    }
}
