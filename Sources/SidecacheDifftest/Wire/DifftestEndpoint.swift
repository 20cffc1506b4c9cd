public import SidecacheRESP

/// A server the tester talks to: a name for reports, a loopback address, and (for the
/// tester's own tests only) a transform applied to every reply read from it.
public struct DifftestEndpoint: Sendable, CustomStringConvertible {
    /// Rewrites a reply: the arguments that were sent, and the reply as read.
    public typealias ReplyTransform = @Sendable (_ arguments: [[UInt8]], _ reply: RESPValue) -> RESPValue

    public var name: String
    public var host: String
    public var port: Int
    /// Test-only: lets a test inject a known divergence into an otherwise correct server.
    public var replyTransform: ReplyTransform?

    public init(name: String, host: String = "127.0.0.1", port: Int, replyTransform: ReplyTransform? = nil) {
        self.name = name
        self.host = host
        self.port = port
        self.replyTransform = replyTransform
    }

    /// `HOST:PORT` (or `PORT`) on the loopback interface; `localhost` means 127.0.0.1.
    public init(name: String, address: String) throws(DifftestError) {
        let parts = address.split(separator: ":", omittingEmptySubsequences: false)
        let hostPart = parts.count == 2 ? String(parts[0]) : "127.0.0.1"
        let portPart = parts.count == 2 ? parts[1] : parts.first ?? ""
        guard parts.count <= 2, let port = Int(portPart), (1...65535).contains(port) else {
            throw .setup("--\(name): expected HOST:PORT, got '\(address)'")
        }
        let host = hostPart == "localhost" || hostPart.isEmpty ? "127.0.0.1" : hostPart
        guard host.hasPrefix("127.") else {
            throw .setup("--\(name): only loopback addresses (127.x.x.x) are allowed, got '\(host)'")
        }
        self.init(name: name, host: host, port: port)
    }

    public var description: String { "\(name) (\(host):\(port))" }
}
