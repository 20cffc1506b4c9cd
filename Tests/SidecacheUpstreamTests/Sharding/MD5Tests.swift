@testable import SidecacheUpstream
import Testing

/// The RFC 1321 test suite, and lengths around the padding boundaries.
@Suite struct MD5Tests {
    static func hex(_ message: [UInt8]) -> String {
        let words = message.withUnsafeBytes { MD5.digestWords(of: $0) }
        return [words.0, words.1, words.2, words.3]
            .flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) } }
            .map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
            .joined()
    }

    @Test func rfc1321Vectors() {
        let vectors: [(String, String)] = [
            ("", "d41d8cd98f00b204e9800998ecf8427e"),
            ("a", "0cc175b9c0f1b6a831c399e269772661"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
            ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
            (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
        ]
        for (message, digest) in vectors {
            #expect(Self.hex(Array(message.utf8)) == digest, "md5(\"\(message)\")")
        }
    }

    /// 55, 56 and 64 bytes put the length in the first block, a second block, and after a whole block.
    @Test func paddingBoundaries() {
        #expect(Self.hex(Array(repeating: UInt8(ascii: "a"), count: 55)) == "ef1772b6dff9a122358552954ad0df65")
        #expect(Self.hex(Array(repeating: UInt8(ascii: "a"), count: 56)) == "3b0c8ac703f828b04c6c197006d17218")
        #expect(Self.hex(Array(repeating: UInt8(ascii: "a"), count: 64)) == "014842d480b571495a4a0363793f7367")
        #expect(Self.hex(Array(repeating: UInt8(ascii: "a"), count: 119)) == "8a7bd0732ed6a28ce75f6dabc90e1613")
    }
}
