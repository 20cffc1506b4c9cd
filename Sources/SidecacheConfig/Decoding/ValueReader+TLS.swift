import Yams

extension ValueReader<Int?> {
    /// A TCP port, 0 to 65535; null or empty for none.
    static var optionalPort: Self {
        .expecting("a port between 0 and 65535, or nothing") { node -> Int?? in
            if node.isNull || node.textValue == "" { return .some(nil) }
            return node.integerValue.flatMap { (0...65535).contains($0) ? .some($0) : nil }
        }
    }
}

extension ValueReader<TLSClientAuthentication> {
    /// yes, no or optional, as redis.conf's `tls-auth-clients`; true/false/on/off as yes/no.
    static var clientAuthentication: Self {
        .expecting("yes, no or optional") { node in
            guard let text = node.textValue else { return nil }
            if let bool = ConfigValueParser.bool(text) { return bool ? .yes : .no }
            return text.lowercased() == "optional" ? .optional : nil
        }
    }
}

extension ValueReader<Set<TLSProtocolVersion>> {
    /// Space-separated versions as in redis.conf's `tls-protocols` ("TLSv1.2 TLSv1.3"), or a
    /// list of them; names are case-insensitive and at least one is needed.
    static var tlsProtocols: Self {
        let names = TLSProtocolVersion.allCases.map(\.rawValue).joined(separator: ", ")
        return .expecting("TLS versions among \(names), separated by spaces or as a list") { node in
            let words: [String]
            if let sequence = node.sequence {
                words = sequence.compactMap(\.textValue)
                guard words.count == sequence.count else { return nil }
            } else if let text = node.textValue {
                words = text.split(separator: " ").map(String.init)
            } else {
                return nil
            }
            var versions: Set<TLSProtocolVersion> = []
            for word in words {
                guard let version = TLSProtocolVersion.allCases.first(where: { $0.rawValue.lowercased() == word.lowercased() }) else {
                    return nil
                }
                versions.insert(version)
            }
            return versions.isEmpty ? nil : versions
        }
    }
}
