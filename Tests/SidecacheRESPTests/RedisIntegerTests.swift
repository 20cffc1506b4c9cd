import NIOCore
import Testing

@testable import SidecacheRESP

/// `RedisInteger.parse` follows Redis's `string2ll`; `writeDecimal` writes what it reads.
@Suite("RedisInteger")
struct RedisIntegerTests {
    static let valid: [(String, Int64)] = [
        ("0", 0), ("1", 1), ("-1", -1), ("9", 9), ("10", 10), ("1234567890", 1_234_567_890),
        ("-1234567890", -1_234_567_890),
        ("9223372036854775807", .max), ("-9223372036854775808", .min),
        ("9223372036854775806", .max - 1), ("-9223372036854775807", .min + 1),
    ]

    static let invalid: [String] = [
        "", "-", "-0", "+1", "+0", "007", "00", "01", "-01", " 1", "1 ", "1\r", "1.0", "1e3", "0x10", "abc", "1a",
        "9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
        "99999999999999999999", "-99999999999999999999",
        "100000000000000000000", "000000000000000000001", "--1", "1-", "١",
    ]

    @Test func validIntegers() {
        for (text, value) in Self.valid {
            #expect(RedisInteger.parse(bytes: bytes(text)) == value, "\(text)")
            #expect(bytes(text).withUnsafeBytes { RedisInteger.parse($0) } == value, "\(text)")
        }
    }

    @Test func invalidIntegers() {
        for text in Self.invalid {
            #expect(RedisInteger.parse(bytes: bytes(text)) == nil, "\(text.debugDescription)")
        }
        // 21 characters is too long even when it would be a valid number's shape.
        #expect(RedisInteger.parse(bytes: bytes("-0000000000000000001")) == nil)
        #expect(bytes("000000000000000000001").count == 21)
        // A NUL byte is not a digit.
        #expect(RedisInteger.parse(bytes: [UInt8(ascii: "1"), 0]) == nil)
        // Non-contiguous collections go through the same parser.
        #expect(RedisInteger.parse(bytes: bytes("-42").lazy.map { $0 }) == -42)
        #expect(RedisInteger.parse(bytes: bytes("+42").lazy.map { $0 }) == nil)
    }

    /// Every value that `writeDecimal` writes parses back to itself, and `decimalLength`
    /// is the number of bytes written.
    @Test func writeDecimalRoundTrips() {
        var samples: [Int64] = [0, 1, -1, 9, 10, -9, -10, 99, 100, .max, .min, .max - 1, .min + 1]
        for power in 0..<19 {
            let p = (0..<power).reduce(Int64(1)) { product, _ in product * 10 }
            samples += [p, p - 1, -p, -(p - 1), p + 1]
        }
        var rng = SeededGenerator(seed: testSeed(default: 0x1_2345))
        samples += (0..<1000).map { _ in Int64(bitPattern: rng.next()) >> Int64.random(in: 0...63, using: &rng) }
        for value in samples {
            var buffer = ByteBuffer()
            buffer.writeDecimal(value)
            #expect(String(buffer: buffer) == String(value))
            #expect(buffer.readableBytes == RedisInteger.decimalLength(value))
            #expect(buffer.withUnsafeReadableBytes { RedisInteger.parse($0) } == value)
        }
    }

    @Test func writeDecimalExactText() {
        func text(_ value: Int64) -> String {
            var buffer = ByteBuffer(string: "x")
            buffer.writeDecimal(value)
            return String(buffer: buffer)
        }
        #expect(text(0) == "x0")
        #expect(text(-5) == "x-5")
        #expect(text(-100) == "x-100")
        #expect(text(.max) == "x9223372036854775807")
        #expect(text(.min) == "x-9223372036854775808")
        #expect(RedisInteger.decimalLength(.min) == 20)
        #expect(RedisInteger.decimalLength(.max) == 19)
        #expect(RedisInteger.decimalLength(0) == 1)
        #expect(RedisInteger.decimalLength(-1) == 2)
    }

    @Test(arguments: [Int64.min, -100, -1, 0, 7, 10, 9_999, .max])
    func decimalDigitsMatchTheTextForm(value: Int64) {
        let digits = RedisInteger.withDecimalDigits(of: value) { Array($0) }
        #expect(String(decoding: digits, as: UTF8.self) == String(value))
    }
}
