import NIOCore
import Testing

@testable import SidecacheRESP

/// `RESPReplyScanner` finds where a reply ends exactly where `RESPReplyParser`, which builds
/// the value, does: for random values of every type in both protocol versions, for every
/// truncation (not yet whole) and for several replies back to back.
struct ReplyScannerTests {
    private func extent(_ bytes: [UInt8], limits: RESPLimits = RESPLimits()) throws -> RESPReplyScanner.Extent? {
        try bytes.withUnsafeBytes { raw throws(RESPProtocolError) in try RESPReplyScanner(limits: limits).scan(raw) }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func agreesWithTheParserOnRandomReplies(seed: UInt64) throws {
        var generator = RESPValueGenerator(seed: seed)
        for round in 0..<300 {
            let version: RESPProtocolVersion = round % 2 == 0 ? .resp2 : .resp3
            var buffer = ByteBuffer()
            generator.value(depth: 0).encode(into: &buffer, version)
            let whole = Array(buffer.readableBytesView)
            let found = try #require(try extent(whole + Array("+next\r\n".utf8)))
            #expect(found.length == whole.count)
            #expect(found.marker == whole[0])
            for cut in [0, 1, whole.count / 2, whole.count - 1] where cut < whole.count {
                #expect(try extent(Array(whole.prefix(cut))) == nil)
            }
        }
    }

    @Test func attributesAnnotateTheFollowingValue() throws {
        let reply = Array("|1\r\n+key\r\n+value\r\n:42\r\n".utf8)
        #expect(try extent(reply)?.length == reply.count)
        #expect(try extent(Array(reply.dropLast(5))) == nil)
    }

    @Test func nullAggregatesAndBulksAreWhole() throws {
        #expect(try extent(Array("*-1\r\n".utf8))?.length == 5)
        #expect(try extent(Array("$-1\r\n".utf8))?.length == 5)
        #expect(try extent(Array("*2\r\n$-1\r\n*-1\r\n".utf8))?.length == 14)
    }

    @Test func brokenRepliesAreErrors() {
        #expect(throws: RESPProtocolError.self) { try extent(Array("?\r\n".utf8)) }
        #expect(throws: RESPProtocolError.self) { try extent(Array("$3\r\nabcd\r\n".utf8)) }
        #expect(throws: RESPProtocolError.self) { try extent(Array("*x\r\n".utf8)) }
        #expect(throws: RESPProtocolError.self) { try extent(Array("$-2\r\n".utf8)) }
        var limits = RESPLimits()
        limits.maxBulkLength = 10
        #expect(throws: RESPProtocolError.self) { try extent(Array("$11\r\n".utf8), limits: limits) }
    }

    @Test func deepNestingNeedsNoRecursion() throws {
        let depth = 100_000
        let reply = Array(String(repeating: "*1\r\n", count: depth).utf8) + Array(":1\r\n".utf8)
        #expect(try extent(reply)?.length == reply.count)
    }
}
