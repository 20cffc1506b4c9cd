/// twemproxy's `hash_tag:` — two bytes, such as `{}`: when a key has the first byte and, after
/// it, the second, only the bytes between them are hashed, so that `user:{42}:name` and
/// `user:{42}:mail` land on one node. The whole key is hashed when the opening byte is absent,
/// when no closing byte follows it (unclosed), or when the two are adjacent (`{}`: an empty tag).
/// Only the first opening byte counts: `a{}{b}` has an empty tag and hashes whole.
public struct ShardHashTag: Hashable, Sendable, CustomStringConvertible {
    public let open: UInt8
    public let close: UInt8

    public init(open: UInt8, close: UInt8) {
        self.open = open
        self.close = close
    }

    /// `nil` unless `text` is exactly two bytes (twemproxy rejects any other length).
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 2 else { return nil }
        self.init(open: bytes[0], close: bytes[1])
    }

    /// The part of `key` to hash: the bytes inside the tag, or the whole key.
    public func hashedPart(of key: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard let start = key.firstIndex(of: open) else { return key }
        guard let end = key[(start + 1)...].firstIndex(of: close), end - start > 1 else { return key }
        return UnsafeRawBufferPointer(rebasing: key[(start + 1)..<end])
    }

    public var description: String {
        String(decoding: [open, close], as: UTF8.self)
    }
}
