import Testing

/// The DUMP/RESTORE codec's suites, nested here so that `swift test --filter Persistence`
/// selects exactly them.
@Suite("Persistence")
enum PersistenceTests {}
