/// What a family may pass as a command argument: bytes (keys and values), a `String` or an
/// `Int` literal (written in ASCII), or a `DifftestArgument` (for relative Unix times).
public protocol DifftestArgumentConvertible: Sendable {
    var difftestArgument: DifftestArgument { get }
}

extension DifftestArgument: DifftestArgumentConvertible {
    public var difftestArgument: DifftestArgument { self }
}

extension Array: DifftestArgumentConvertible where Element == UInt8 {
    public var difftestArgument: DifftestArgument { .bytes(self) }
}

extension String: DifftestArgumentConvertible {
    public var difftestArgument: DifftestArgument { .bytes(Array(utf8)) }
}

extension Int: DifftestArgumentConvertible {
    public var difftestArgument: DifftestArgument { .bytes(Array(String(self).utf8)) }
}

extension DifftestStep {
    /// A command step: `name` then `arguments`, compared exactly.
    public static func command(_ name: String, _ arguments: any DifftestArgumentConvertible...) -> DifftestStep {
        DifftestStep(action: .command([name.difftestArgument] + arguments.map(\.difftestArgument)))
    }

    /// A command step from a name and an argument list built by the family.
    public static func command(_ name: String, arguments: [any DifftestArgumentConvertible]) -> DifftestStep {
        DifftestStep(action: .command([name.difftestArgument] + arguments.map(\.difftestArgument)))
    }
}
