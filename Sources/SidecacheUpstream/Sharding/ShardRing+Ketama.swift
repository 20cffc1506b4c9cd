extension ShardRing {
    /// Points per node when all weights are equal (twemproxy's KETAMA_POINTS_PER_SERVER).
    static let ketamaPointsPerNode = 160

    /// The continuum as twemproxy's `ketama_update` builds it over the live nodes (`live`, in
    /// twemproxy's server order, which decides ties between equal points): each node
    /// gets `floor(weight / total * 40 * live) * 4` points, computed in single precision as the
    /// C does (a node can get none when its weight is small against the others); points come
    /// in fours from the MD5 words of `"<ketamaName>-<i>"`, and are sorted by value with ties
    /// kept in build order (glibc's `qsort` is a stable merge sort at this size).
    ///
    /// twemproxy formats `"<name>-<i>"` into an 86-byte buffer and hashes the untruncated
    /// length; with names over about 80 bytes it hashes bytes past its buffer, which no one can
    /// reproduce. Names that long are hashed here as written.
    static func ketamaContinuum(nodes: [ShardNode], live: [Int]) -> (values: [UInt32], owners: [Int]) {
        var totalWeight: UInt32 = 0
        for index in live { totalWeight &+= UInt32(nodes[index].weight) }
        let liveCount = Float(live.count)

        var values: [UInt32] = []
        var owners: [Int] = []
        values.reserveCapacity(live.count * ketamaPointsPerNode)
        owners.reserveCapacity(live.count * ketamaPointsPerNode)
        for index in live {
            let share = Float(nodes[index].weight) / Float(totalWeight)
            // C: (uint32_t)(floorf((float)(pct * 160 / 4 * (float)nlive + 0.0000000001)) * 4)
            let scaled = share * Float(ketamaPointsPerNode) / 4 * liveCount
            let points = UInt32((Float(Double(scaled) + 0.000_000_000_1)).rounded(.down) * 4)
            let name = Array(nodes[index].ketamaName.utf8)
            var label: [UInt8] = []
            for group in 0..<(points / 4) {
                label.removeAll(keepingCapacity: true)
                label += name
                label.append(UInt8(ascii: "-"))
                label += String(group).utf8
                let words = label.withUnsafeBytes { MD5.digestWords(of: $0) }
                values += [words.0, words.1, words.2, words.3]
                owners += [index, index, index, index]
            }
        }
        let order = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
        return (order.map { values[$0] }, order.map { owners[$0] })
    }
}
