/// Why a TLS context cannot be built from the configuration: the key and the file at fault.
public struct TLSSetupError: Error, CustomStringConvertible, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
