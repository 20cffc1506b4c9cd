/// Redis's LFU (`evict.c`): the access clock of a key holds the minute of its last access in
/// its upper 16 bits and an 8-bit logarithmic access counter in the lower 8. A new key starts
/// at `initialCounter`; an access increments the counter with probability
/// 1 / ((counter − 5) · lfu-log-factor + 1), after taking one off per `lfu-decay-time`
/// minutes since the last access.
extension KeyspaceState {
    /// `LFU_INIT_VAL`: new keys start here, so that they are not evicted before a second access.
    static let lfuInitialCounter: UInt32 = 5

    /// Minutes, 16 bits (`LFUGetTimeInMinutes`).
    var lfuMinutes: UInt32 { UInt32(truncatingIfNeeded: now / 60_000) & 0xFFFF }

    /// The counter of `clock` after its decay (`LFUDecrAndReturn`): OBJECT FREQ's answer.
    package func lfuCounter(_ clock: UInt32) -> UInt32 {
        let counter = clock & 0xFF
        let decayTime = UInt32(eviction.lfuDecayTime)
        guard decayTime > 0 else { return counter }
        let last = clock >> 8
        let current = lfuMinutes
        let elapsed = current >= last ? current - last : 65535 - last + current
        let periods = elapsed / decayTime
        return periods > counter ? 0 : counter - periods
    }

    /// `LFULogIncr`: `counter` plus one with probability 1 / ((counter − 5) · factor + 1).
    func lfuIncremented(_ counter: UInt32) -> UInt32 {
        guard counter < 255 else { return 255 }
        let base = counter > Self.lfuInitialCounter ? Double(counter - Self.lfuInitialCounter) : 0
        let probability = 1 / (base * Double(eviction.lfuLogFactor) + 1)
        let draw = Double(random.next() >> 11) * 0x1p-53
        return draw < probability ? counter + 1 : counter
    }

    /// The access clock after an access (`updateLFU`): decayed, incremented, stamped now.
    @inline(never)
    func lfuTouched(_ clock: UInt32) -> UInt32 {
        (lfuMinutes << 8) | lfuIncremented(lfuCounter(clock))
    }
}
