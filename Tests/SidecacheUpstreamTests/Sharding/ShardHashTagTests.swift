import SidecacheUpstream
import Testing

/// twemproxy's `hash_tag` rules (server_pool_idx in nc_server.c), edge cases included.
@Suite struct ShardHashTagTests {
    static func part(_ key: String, _ tag: ShardHashTag = ShardHashTag("{}")!) -> String {
        Array(key.utf8).withUnsafeBytes { String(decoding: tag.hashedPart(of: $0), as: UTF8.self) }
    }

    @Test func hashesTheTaggedPart() {
        #expect(Self.part("user:{42}:name") == "42")
        #expect(Self.part("{42}") == "42")
        #expect(Self.part("a{b}c{d}") == "b")  // the first tag only
        #expect(Self.part("{{a}}") == "{a")  // from the first opening byte to the next closing one
        #expect(Self.part("x{a}}") == "a")
    }

    @Test func hashesTheWholeKeyWithoutAUsableTag() {
        #expect(Self.part("plain") == "plain")
        #expect(Self.part("") == "")
        #expect(Self.part("a{}b") == "a{}b")  // empty tag
        #expect(Self.part("a{}{b}") == "a{}{b}")  // empty first tag; the second is not looked at
        #expect(Self.part("a{b") == "a{b")  // unclosed
        #expect(Self.part("a}b{") == "a}b{")  // closing byte only before the opening one
        #expect(Self.part("{") == "{")
    }

    @Test func sameByteOpensAndCloses() {
        let dollars = ShardHashTag("$$")!
        #expect(Self.part("a$tag$b$c", dollars) == "tag")
        #expect(Self.part("a$$b", dollars) == "a$$b")
    }

    @Test func needsExactlyTwoBytes() {
        #expect(ShardHashTag("{}") == ShardHashTag(open: UInt8(ascii: "{"), close: UInt8(ascii: "}")))
        #expect(ShardHashTag("") == nil)
        #expect(ShardHashTag("{") == nil)
        #expect(ShardHashTag("{}}") == nil)
        #expect(ShardHashTag("é") != nil)  // two UTF-8 bytes: twemproxy counts bytes too
        #expect(ShardHashTag("{}")?.description == "{}")
    }
}
