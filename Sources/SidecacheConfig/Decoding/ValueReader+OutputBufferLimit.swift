import Yams

extension ValueReader<OutputBufferLimit> {
    /// `hard soft seconds`, e.g. `32mb 8mb 60`, as one class of redis.conf's `client-output-buffer-limit`.
    static var outputBufferLimit: Self {
        .expecting("\"hard soft seconds\" (two sizes and whole seconds, e.g. \"32mb 8mb 60\"; 0 = no limit)") { node in
            node.textValue.flatMap(OutputBufferLimit.init(parsing:))
        }
    }
}
