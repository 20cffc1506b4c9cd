extension UpstreamConfiguration {
    /// Applies `--upstream redis://[user:password@]host:port`: one node, mode single, and the
    /// credentials when given (percent-escapes in them decoded); `rediss://` also turns on
    /// `tls.enabled` (the rest of `tls` comes from the file). Returns the problem when the URL
    /// cannot be used.
    public mutating func applySingleURL(_ url: String) -> String? {
        guard let scheme = ["redis://", "rediss://"].first(where: url.lowercased().hasPrefix) else {
            return "--upstream must be a redis:// or rediss:// URL like redis://user:password@host:6379, got '\(url)'"
        }
        var rest = Substring(url.dropFirst(scheme.count))
        if let slash = rest.firstIndex(of: "/") {
            guard rest[rest.index(after: slash)...].allSatisfy({ $0 == "0" }) else {
                return "--upstream: a database in the URL is not supported (clients choose theirs with SELECT)"
            }
            rest = rest[..<slash]
        }
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                username = Self.percentDecoded(credentials[..<colon])
                password = Self.percentDecoded(credentials[credentials.index(after: colon)...])
            } else {
                password = Self.percentDecoded(credentials)
            }
            if username?.isEmpty == true { username = nil }
        }
        let address = rest.contains(":") || rest.hasPrefix("[") ? String(rest) : "\(rest):6379"
        guard let node = UpstreamNodeConfiguration(parsing: address), node.weight == 1 else {
            return "--upstream: '\(rest)' is not a host:port"
        }
        mode = .single
        nodes = [node]
        if scheme == "rediss://" { tls.enabled = true }
        self.username = username
        self.password = password
        return nil
    }

    /// `%40` as `@` and so on; text with a broken escape is kept as written.
    private static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension UpstreamConfiguration {
    /// Applies `--upstream-shards host:port[:weight][,host:port[:weight]...]`: mode sharded over
    /// those nodes, unnamed (so twemproxy hashes `host:port`). Returns the problem when a node
    /// cannot be read.
    public mutating func applyShardList(_ list: String) -> String? {
        switch Self.nodeList(list, option: "--upstream-shards", weights: true) {
        case .failure(let problem): return problem.message
        case .success(let parsed): (mode, nodes) = (.sharded, parsed)
        }
        return nil
    }

    /// Applies `--upstream-sentinel host:port[,...] --sentinel-master NAME`: mode sentinel with
    /// those sentinels. Returns the problem when an address cannot be read.
    public mutating func applySentinels(_ list: String, master: String?) -> String? {
        guard let master, !master.isEmpty else { return "--upstream-sentinel needs --sentinel-master NAME" }
        switch Self.nodeList(list, option: "--upstream-sentinel", weights: false) {
        case .failure(let problem): return problem.message
        case .success(let parsed): (mode, nodes, sentinelMaster) = (.sentinel, parsed, master)
        }
        return nil
    }

    /// Applies `--upstream-cluster host:port[,...]`: mode cluster with those seeds.
    public mutating func applyClusterSeeds(_ list: String) -> String? {
        switch Self.nodeList(list, option: "--upstream-cluster", weights: false) {
        case .failure(let problem): return problem.message
        case .success(let parsed): (mode, nodes) = (.cluster, parsed)
        }
        return nil
    }

    private struct ListProblem: Error {
        var message: String
    }

    /// A comma-separated list of `host:port` (with `weights`, also `host:port:weight`).
    private static func nodeList(_ list: String, option: String, weights: Bool) -> Result<[UpstreamNodeConfiguration], ListProblem> {
        var parsed: [UpstreamNodeConfiguration] = []
        for item in list.split(separator: ",", omittingEmptySubsequences: false) {
            let text = String(item.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
            guard let node = UpstreamNodeConfiguration(parsing: text), node.name == nil, weights || node.weight == 1 else {
                return .failure(ListProblem(message: "\(option): '\(text)' is not host:port\(weights ? " or host:port:weight" : "")"))
            }
            parsed.append(node)
        }
        return .success(parsed)
    }
}
