/// A family of commands the differential tester can generate: one file per family
/// (`StringFamily`, `KeyFamily`, ...), listed in `DifftestFamilies.all`.
///
/// For each step the generator asks every selected family for its weight, draws one family
/// in proportion, and calls its `generate`. A family draws its command and arguments from the
/// generator (its random source and the shared pools of keys and values), so that every
/// family works on the same few keys and their commands clash with each other.
///
/// Rules for a family:
/// - Generate from `generator` only (never another random source, never the clock), and never
///   from replies: a sequence is fixed by its seed before anything is sent.
/// - Mark every non-deterministic reply with `compared(_:)` (see `ReplyComparison`), and every
///   time to live that may fire within the sequence with `settling(_:)` (`TimeToLive`).
/// - Never generate a TTL that may fire between the two servers' replies: either it fires at
///   once (`TimeToLive.settlePause`) or it outlives the sequence (>= 100 s).
/// - Keep allocations small (see `DifftestPools`) and never block (no `BLPOP`, `WAIT 1 0`).
public protocol DifftestFamily: Sendable {
    /// The name used by `--families` (lowercase, e.g. `strings`).
    var name: String { get }

    /// The relative weight of this family for the next step, given the generator's state
    /// (e.g. the transaction family is heavier while a MULTI is open); 0 means not now.
    func weight(in generator: DifftestGenerator) -> Int

    /// One or more steps, drawn with `generator`.
    func generate(_ generator: inout DifftestGenerator) -> [DifftestStep]
}
