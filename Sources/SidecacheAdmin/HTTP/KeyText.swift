import Foundation

/// Keys and arguments are bytes; JSON carries them as UTF-8 text (invalid bytes replaced) and,
/// for keys, as base64 too, so that a binary key can be told apart exactly.
enum KeyText {
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
}
