#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SidecacheEngine

/// A rule's `match`: a key prefix, or a Redis glob. `user:` and `user:*` are both the prefix
/// `user:` (a byte comparison); anything else with `*`, `?`, `[` or `\` is matched as KEYS
/// matches it.
public struct KeyPattern: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case prefix
        case glob
    }

    public let text: String
    public let kind: Kind
    /// The literal bytes every matching key starts with: the prefix itself, or what comes before
    /// a glob's first special character (what client tracking's BCAST PREFIX is given).
    public let literalPrefix: [UInt8]
    private let patternBytes: [UInt8]

    public init(_ text: String) {
        self.text = text
        let bytes = Array(text.utf8)
        let firstSpecial = bytes.firstIndex { Self.isSpecial($0) }
        literalPrefix = Array(bytes[..<(firstSpecial ?? bytes.count)])
        if firstSpecial == nil || (firstSpecial == bytes.count - 1 && bytes.last == UInt8(ascii: "*")) {
            kind = .prefix
        } else {
            kind = .glob
        }
        patternBytes = bytes
    }

    @inline(__always)
    public func matches(_ key: UnsafeRawBufferPointer) -> Bool {
        switch kind {
        case .prefix:
            guard key.count >= literalPrefix.count else { return false }
            return literalPrefix.withUnsafeBytes { prefix in
                prefix.isEmpty || memcmp(key.baseAddress!, prefix.baseAddress!, prefix.count) == 0
            }
        case .glob:
            return patternBytes.withUnsafeBytes { GlobMatcher.matches(pattern: $0, key) }
        }
    }

    private static func isSpecial(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "\\")
    }
}
