public import SidecacheRESP

extension CommandSpec {
    /// The argument positions of the keys `frame` names, within the frame: the one fixed
    /// position of a single-key command without a key-spec walk, else the key specs' (none
    /// when they cannot be applied). What routing and the cache tier look keys up by.
    public func requestKeyPositions(in frame: RESPCommandFrame) -> [Int] {
        if firstKey > 0, firstKey == lastKey, !flags.contains(.movableKeys) {
            return firstKey < frame.count ? [firstKey] : []
        }
        return (keyPositions(in: frame) ?? []).filter { $0 < frame.count }
    }
}
