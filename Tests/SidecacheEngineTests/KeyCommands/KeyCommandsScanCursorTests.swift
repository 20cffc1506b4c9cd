import NIOCore
import SidecacheEngine
import SidecacheRESP
import Testing

/// SCAN's cursor and options as redis-server 7.0.15 parses them (`strtoul` base 10, then
/// COUNT/MATCH/TYPE); every expectation below was checked against redis-server.
@Suite struct KeyCommandsScanCursorTests {
    func cursor(_ text: String) -> UInt64? {
        Array(text.utf8).withUnsafeBytes { ScanArguments.parseCursor($0) }
    }

    @Test func acceptsWhatStrtoulAccepts() {
        #expect(cursor("0") == 0)
        #expect(cursor("17") == 17)
        #expect(cursor("") == 0)
        #expect(cursor("+0") == 0)
        #expect(cursor("00") == 0)
        #expect(cursor("-0") == 0)
        #expect(cursor("-1") == UInt64.max)
        #expect(cursor("-18446744073709551615") == 1)
        #expect(cursor("18446744073709551615") == UInt64.max)
    }

    @Test func rejectsSpacesGarbageAndOverflow() {
        for text in [" 0", "\t0", "0 ", "abc", "0x1", "1e2", "+", "-", "+-1", "18446744073709551616", "-18446744073709551616"] {
            #expect(cursor(text) == nil, "\(text.debugDescription)")
        }
    }

    @Test func stopsAtANulByteAsACStringDoes() {
        #expect([UInt8]([0x31, 0x00, 0x78]).withUnsafeBytes { ScanArguments.parseCursor($0) } == 1)
        #expect([UInt8]([0x00, 0x78]).withUnsafeBytes { ScanArguments.parseCursor($0) } == 0)
    }

    @Test func optionErrorsInRedisOrder() {
        let engine = KeyCommandsEngine()
        let syntax = RESPValue.error("ERR syntax error")
        let notInteger = RESPValue.error("ERR value is not an integer or out of range")
        #expect(engine.run("SCAN", "x") == .error("ERR invalid cursor"))
        #expect(engine.run("SCAN", "x", "COUNT", "0") == .error("ERR invalid cursor"))
        #expect(engine.run("SCAN", "0", "COUNT", "0") == syntax)
        #expect(engine.run("SCAN", "0", "COUNT", "-1") == syntax)
        #expect(engine.run("SCAN", "0", "COUNT", "x") == notInteger)
        #expect(engine.run("SCAN", "0", "COUNT", "1", "COUNT", "x") == notInteger)
        #expect(engine.run("SCAN", "0", "COUNT") == syntax)
        #expect(engine.run("SCAN", "0", "MATCH") == syntax)
        #expect(engine.run("SCAN", "0", "TYPE") == syntax)
        #expect(engine.run("SCAN", "0", "foo", "COUNT", "0") == syntax)
        #expect(
            engine.run("SCAN", "0", "count", "9223372036854775807", "match", "*", "type", "STRING")
                == .array([.bulk("0"), .array([])]))
    }
}
