import Testing

@testable import SidecacheEngine

extension StringsTests {
    @Suite("LCS")
    struct LongestCommonSubsequenceTests {
        typealias LCS = LongestCommonSubsequence

        func lcs(_ a: String, _ b: String, _ options: LCS.Options = .init()) throws -> LCS.Reply {
            try LCS.compute(bytes(a), bytes(b), options: options)
        }

        func options(_ words: String...) throws(StringCommandError) -> LCS.Options {
            try LCS.parseOptions(words.map(bytes))
        }

        @Test func redisDocumentationExample() throws {
            #expect(try lcs("ohmytext", "mynewtext") == .string(bytes("mytext")))
            #expect(try lcs("ohmytext", "mynewtext", .init(mode: .length)) == .length(6))
            let matches = [
                LCS.Match(first: 4...7, second: 5...8),
                LCS.Match(first: 2...3, second: 0...1),
            ]
            #expect(try lcs("ohmytext", "mynewtext", .init(mode: .indexes)) == .indexes(matches, length: 6))
            #expect(matches.map(\.length) == [4, 2])
            #expect(
                try lcs("ohmytext", "mynewtext", .init(mode: .indexes, minMatchLength: 4)) == .indexes([matches[0]], length: 6)
            )
        }

        @Test func emptyAndDisjointStrings() throws {
            #expect(try lcs("", "abc") == .string([]))
            #expect(try lcs("abc", "", .init(mode: .length)) == .length(0))
            #expect(try lcs("", "", .init(mode: .indexes)) == .indexes([], length: 0))
            #expect(try lcs("abc", "xyz", .init(mode: .indexes)) == .indexes([], length: 0))
            #expect(try lcs("abc", "abc", .init(mode: .indexes)) == .indexes([.init(first: 0...2, second: 0...2)], length: 3))
        }

        @Test func tiesWalkTheSecondStringBackFirst() throws {
            // LCS(i-1, j) == LCS(i, j-1): Redis steps j back, so "b" wins over "a" (as redis-server answers).
            #expect(try lcs("ab", "ba") == .string(bytes("b")))
            #expect(try lcs("ab", "ba", .init(mode: .indexes)) == .indexes([.init(first: 1...1, second: 0...0)], length: 1))
            #expect(try lcs("aa", "a", .init(mode: .indexes)) == .indexes([.init(first: 1...1, second: 0...0)], length: 1))
        }

        @Test func lengthOnlyAgreesWithTheFullTable() throws {
            var generator = SeededGenerator(seed: 42)
            for _ in 0..<200 {
                let a = (0..<Int.random(in: 0...40, using: &generator)).map { _ in UInt8.random(in: 97...100, using: &generator) }
                let b = (0..<Int.random(in: 0...40, using: &generator)).map { _ in UInt8.random(in: 97...100, using: &generator) }
                guard case .string(let text) = try LCS.compute(a, b) else {
                    Issue.record("not a string")
                    return
                }
                #expect(try LCS.compute(a, b, options: .init(mode: .length)) == .length(text.count))
                guard case .indexes(let matches, let length) = try LCS.compute(a, b, options: .init(mode: .indexes)) else { return }
                #expect(length == text.count)
                // Ranges are disjoint, from the end, and together spell the subsequence.
                let spelled = matches.reversed().flatMap { a[$0.first] }
                #expect(spelled == text)
                #expect(matches.allSatisfy { a[$0.first] == b[$0.second] })
            }
        }

        @Test func wideTablesUseWiderCells() throws {
            // Over 255 matching bytes need 16-bit cells; a long string against a short one keeps 8-bit cells.
            let long = [UInt8](repeating: 0x61, count: 300)
            #expect(
                try LCS.compute(long, long, options: .init(mode: .indexes))
                    == .indexes([.init(first: 0...299, second: 0...299)], length: 300))
            let a = [UInt8](repeating: 0x62, count: 70_000)
            #expect(
                try LCS.compute(a, [0x62, 0x62], options: .init(mode: .indexes))
                    == .indexes([.init(first: 69_998...69_999, second: 0...1)], length: 2))
        }

        @Test func optionsParse() throws {
            #expect(try options() == .init(mode: .string))
            #expect(try options("LEN") == .init(mode: .length))
            #expect(
                try options("idx", "MinMatchLen", "3", "withmatchlen") == .init(mode: .indexes, minMatchLength: 3, withMatchLength: true))
            #expect(try options("idx", "minmatchlen", "-5") == .init(mode: .indexes, minMatchLength: 0))
            #expect(try options("withmatchlen") == .init(mode: .string, withMatchLength: true))
            #expect(throws: StringCommandError.lcsLengthAndIndexes) { try options("len", "idx") }
            #expect(throws: StringCommandError.syntax) { try options("minmatchlen") }
            #expect(throws: StringCommandError.syntax) { try options("idx", "foo") }
            #expect(throws: StringCommandError.notAnInteger) { try options("minmatchlen", "x") }
            // A syntax error before LEN+IDX wins: options are read first.
            #expect(throws: StringCommandError.syntax) { try options("len", "idx", "foo") }
            #expect(StringCommandError.lcsLengthAndIndexes.message == "ERR If you want both the length and indexes, please just use IDX.")
            #expect(StringCommandError.lcsWrongType.message == "ERR The specified keys must contain string values")
        }

        @Test func tableLargerThanProtoMaxBulkLenIsRefused() throws {
            let megabyte = 1024 * 1024
            // 601 * 601 * 4 bytes > 1 MiB, 601 * 401 * 4 bytes < 1 MiB (checked with redis-server).
            let a = [UInt8](repeating: 0x61, count: 600)
            #expect(throws: StringCommandError.lcsTableTooLarge) {
                try LCS.compute(a, a, options: .init(mode: .length), maxBulkLength: megabyte)
            }
            #expect(try LCS.compute(a, Array(a[..<400]), options: .init(mode: .length), maxBulkLength: megabyte) == .length(400))
            #expect(throws: StringCommandError.lcsTableTooLarge) { try LCS.checkSize(1 << 20, 1 << 20, maxBulkLength: 512 * megabyte) }
            #expect(throws: StringCommandError.lcsAllocationFailed) {
                try LCS.checkSize(Int(UInt32.max) - 3, Int(UInt32.max) - 3, maxBulkLength: 512 * megabyte)
            }
            #expect(throws: StringCommandError.lcsStringTooLong) {
                try LCS.checkSize(Int(UInt32.max) - 1, 1, maxBulkLength: 512 * megabyte)
            }
            #expect(try LCS.checkSize(0, 0, maxBulkLength: 4) == 1)
            #expect(
                StringCommandError.lcsTableTooLarge.message
                    == "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"
            )
        }
    }
}
