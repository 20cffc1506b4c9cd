import SidecacheRESP
import Testing

@testable import SidecacheEngine

extension StringsTests {
    /// Expected texts are redis-server 7.0.15's replies on x86_64 Linux (80-bit long double).
    @Suite("INCRBYFLOAT numbers")
    struct RedisLongDoubleTests {
        func increment(_ current: String?, _ delta: String) -> String {
            do {
                let result = try RedisLongDouble.incrementByFloat(current.map(bytes), by: bytes(delta))
                return String(decoding: result, as: UTF8.self)
            } catch {
                return error.message
            }
        }

        @Test func humanFormattingTrimsZerosAndThePoint() {
            #expect(increment("10.5", "0.1") == "10.6")
            #expect(increment("3.0e3", "200") == "3200")
            #expect(increment("5.0e3", "2.0e2") == "5200")
            #expect(increment("1.5", "-1.5") == "0")
            #expect(increment("1.1", "2.2") == "3.3")
            #expect(increment(nil, "0.1") == "0.1")
            #expect(increment("0", "-107.6") == "-107.6")
            #expect(increment("12345678901234567890", "1") == "12345678901234567891")
            #expect(increment("1.0", "1e-17") == "1.00000000000000001")
            #expect(increment("1.00000000000000001", "1e-16") == "1.00000000000000011")
        }

        @Test func negativeZeroAndTinyResultsPrintAsZero() {
            #expect(increment("0", "1e-20") == "0")
            #expect(increment("0", "-1e-20") == "0")
            #expect(increment("0", "-0") == "0")
            #expect(increment("-5", "4.99999999999999999999") == "0")
            // A denormal long double is accepted (strtold's ERANGE with a non-zero result).
            #expect(increment("0", "1e-4940") == "0")
            #expect(increment("1e-4950", "0") == "0")
        }

        @Test func strtoldSyntaxIsAccepted() {
            #expect(increment("0", "0x10") == "16")
            #expect(increment("0", "0x1p3") == "8")
            #expect(increment("0", "0x1.8p1") == "3")
            #expect(increment("0", "+5") == "5")
            #expect(increment("0", ".5") == "0.5")
            #expect(increment("0", "5.") == "5")
            #expect(increment("0", "1e+2") == "100")
        }

        @Test func invalidNumbersAreRefused() {
            let invalid = "ERR value is not a valid float"
            for text in ["", " 1", "1 ", "\t1", "1\t", "abc", "1e", "-.", "nan", "-nan", "nan(1)", "1e-5000", "1e4933", "1,5"] {
                #expect(increment("0", text) == invalid, "increment \(text.debugDescription)")
                #expect(increment(text, "1") == invalid, "value \(text.debugDescription)")
            }
            #expect(RedisLongDouble.parse(bytes("1") + [0]) == nil)
        }

        @Test func infinitiesParseButCannotBeStored() {
            let notFinite = "ERR increment would produce NaN or Infinity"
            #expect(increment("0", "inf") == notFinite)
            #expect(increment("0", "-inf") == notFinite)
            #expect(increment("0", "INF") == notFinite)
            #expect(increment("0", "infinity") == notFinite)
            #expect(increment("inf", "0") == notFinite)
            #expect(increment("1.18e4932", "1.18e4932") == notFinite)
        }

        @Test func inputsOf5120BytesOrMoreAreRefused() {
            let zeros = String(repeating: "0", count: 5118)
            #expect(increment("0", zeros + "1") == "1")
            #expect(increment(zeros + "1", "1") == "2")
            #expect(increment("0", zeros + "01") == "ERR value is not a valid float")
        }

        @Test func hugeValuesPrintEveryDigit() {
            let sum = increment("1e308", "1e308")
            #expect(sum.hasPrefix("199999999999999999993371759311691291321120199694831134415594095989843469737676123744200253843777"))
            #expect(sum.count == 309)
            let largest = increment("0", "1.18e4932")
            #expect(largest.hasPrefix("118000000000000000000065281291809369920269043714016047172983124006183652772844699601208149626612"))
            #expect(largest.count == 4933)
            #expect(!largest.contains("."))
            // The printed value is read back to the same number.
            #expect(increment(largest, "0") == largest)
            // The long double nearest 1e4000 is a little below it: 4000 digits, as redis-server prints.
            let below = increment("1e4000", "1")
            #expect(below.hasPrefix("99999999999999999999654638730996237849324925835069576313015083330432619433063"))
            #expect(below.count == 4000)
        }

        @Test func formatAndParseDirectly() {
            #expect(RedisLongDouble.format(.infinity) == bytes("inf"))
            #expect(RedisLongDouble.format(-.infinity) == bytes("-inf"))
            #expect(RedisLongDouble.format(-0.0) == bytes("0"))
            #expect(RedisLongDouble.format(0.25) == bytes("0.25"))
            #expect(RedisLongDouble.format(-2) == bytes("-2"))
            #expect(RedisLongDouble.parse(bytes("2.5")) == 2.5)
            #expect(RedisLongDouble.parse(bytes("inf")) == .infinity)
            // Double replies (%.17g) are RedisDouble's, in SidecacheRESP.
            #expect(RedisDouble.format(0.1) == bytes("0.10000000000000001"))
        }
    }
}
