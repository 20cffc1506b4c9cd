import Testing

/// The parent suite of the string algorithm tests, so that `swift test --filter Strings`
/// selects them all.
@Suite("Strings")
enum StringsTests {}
