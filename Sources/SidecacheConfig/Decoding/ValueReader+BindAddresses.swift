#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Yams

extension ValueReader<[String]> {
    /// Listen addresses: one string of space-separated addresses (as in redis.conf) or a list of strings;
    /// each an IPv4 or IPv6 literal, "localhost" or "*". At least one.
    static var bindAddresses: Self {
        Self { node, path, context in
            let addresses: [(text: String, node: Node, path: String)]
            if case .sequence(let list) = node {
                addresses = list.enumerated().map { ($1.textValue ?? "", $1, path.appendingIndex($0)) }
            } else if let text = node.textValue {
                addresses = text.split(separator: " ").map { (String($0), node, path) }
            } else {
                context.record("must be an address or a list of addresses, got \(node.problemDescription)", at: path, node: node)
                return nil
            }
            guard !addresses.isEmpty else {
                context.record("must name at least one address", at: path, node: node)
                return nil
            }
            let invalid = addresses.filter { !isBindAddress($0.text) }
            for address in invalid {
                let got = address.node.scalar == nil || address.node.isNull ? address.node.problemDescription : "'\(address.text)'"
                context.record("must be an IPv4 or IPv6 address, 'localhost' or '*', got \(got)", at: address.path, node: address.node)
            }
            return invalid.isEmpty ? addresses.map(\.text) : nil
        }
    }
}

/// Whether `text` is "*", "localhost", or an IPv4 or IPv6 literal as `inet_pton` reads it.
private func isBindAddress(_ text: String) -> Bool {
    if text == "*" || text == "localhost" { return true }
    guard !text.utf8.contains(0) else { return false }
    var buffer = (UInt64(0), UInt64(0))
    return withUnsafeMutableBytes(of: &buffer) { bytes in
        inet_pton(AF_INET, text, bytes.baseAddress) == 1 || inet_pton(AF_INET6, text, bytes.baseAddress) == 1
    }
}
