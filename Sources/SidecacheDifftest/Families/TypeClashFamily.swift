/// Puts a list, set, hash or sorted set under one of the shared keys (LPUSH, RPUSH, SADD, HSET,
/// ZADD), so that the string and key commands meet values of other types: WRONGTYPE errors,
/// TYPE, OBJECT ENCODING, SCAN ... TYPE, COPY and RENAME of non-strings.
///
/// A stand-in until the list, hash, set and sorted-set families land (each of them then
/// creates its own type on the same keys). Not among the default families: Sidecache does not
/// implement these commands yet.
public struct TypeClashFamily: DifftestFamily {
    public let name = "types"

    public init() {}

    public func weight(in generator: DifftestGenerator) -> Int { 6 }

    public func generate(_ g: inout DifftestGenerator) -> [DifftestStep] {
        switch g.choose([(2, "LPUSH"), (1, "RPUSH"), (2, "SADD"), (2, "HSET"), (2, "ZADD")]) {
        case "HSET": return [.command("HSET", g.key(), g.pick(["f", "g", "h"]), g.value())]
        case "ZADD": return [.command("ZADD", g.key(), g.pick(["1", "2.5", "-3", "inf"]), g.value())]
        case let command: return [.command(command, g.key(), g.value())]
        }
    }
}
