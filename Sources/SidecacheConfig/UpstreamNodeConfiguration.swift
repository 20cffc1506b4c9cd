/// One upstream node as configured: `host:port`, and for shards twemproxy's
/// `host:port:weight name` form (weight 1 and no name when left out).
public struct UpstreamNodeConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var weight: Int
    /// The shard's name in the ketama continuum; `nil` hashes `host:port` as twemproxy does.
    public var name: String?

    public init(host: String, port: Int, weight: Int = 1, name: String? = nil) {
        self.host = host
        self.port = port
        self.weight = weight
        self.name = name
    }

    /// Parses `host:port`, `[ipv6]:port`, `host:port:weight` and any of these followed by a
    /// space and a name; `nil` when a part is missing or out of range.
    public init?(parsing text: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard (1...2).contains(parts.count) else { return nil }
        var address = parts[0]
        var weight = 1
        // A third colon-separated field is the weight (not for a bracketed IPv6 literal's colons).
        let afterBracket = address.lastIndex(of: "]") ?? address.startIndex
        let colons = address[afterBracket...].filter { $0 == ":" }.count
        if colons == 2 {
            guard let last = address.lastIndex(of: ":"), let value = Int(address[address.index(after: last)...]),
                (1...Int(Int32.max)).contains(value)
            else { return nil }
            weight = value
            address = address[..<last]
        }
        let host: Substring
        let portText: Substring
        if address.first == "[" {
            guard let close = address.firstIndex(of: "]"), address[address.index(after: close)...].first == ":" else {
                return nil
            }
            host = address[address.index(after: address.startIndex)..<close]
            portText = address[address.index(close, offsetBy: 2)...]
        } else {
            guard let colon = address.firstIndex(of: ":") else { return nil }
            host = address[..<colon]
            portText = address[address.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (1...65535).contains(port) else { return nil }
        self.init(host: String(host), port: port, weight: weight, name: parts.count == 2 ? String(parts[1]) : nil)
    }
}
