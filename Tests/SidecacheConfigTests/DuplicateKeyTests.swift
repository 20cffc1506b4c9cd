import SidecacheConfig
import Testing

@Suite struct DuplicateKeyTests {
    @Test func aDuplicateKeyIsReportedAtItsSecondOccurrence() {
        #expect(problems(in: "server:\n  port: 1\n  port: 2\n") == [ConfigurationProblem(
            path: "server.port", line: 3, column: 3, message: "duplicate key 'port'; first set at line 2, column 3")])
    }

    @Test func everyRepetitionIsAProblem() {
        #expect(problems(in: "server:\n  hz: 1\n  hz: 2\n  hz: 3\n") == [
            ConfigurationProblem(path: "server.hz", line: 3, column: 3, message: "duplicate key 'hz'; first set at line 2, column 3"),
            ConfigurationProblem(path: "server.hz", line: 4, column: 3, message: "duplicate key 'hz'; first set at line 2, column 3"),
        ])
    }

    @Test func duplicatesInFlowMappingsKeepTheirColumns() {
        #expect(problems(in: "limits: {max_nesting_depth: 5, max_nesting_depth: 2000}\n") == [
            ConfigurationProblem(path: "limits.max_nesting_depth", line: 1, column: 32,
                                 message: "duplicate key 'max_nesting_depth'; first set at line 1, column 10"),
            ConfigurationProblem(path: "limits.max_nesting_depth", line: 1, column: 51,
                                 message: "must be an integer between 1 and 1000, got 2000"),
        ])
    }

    @Test func quotedDuplicatesAreDuplicates() {
        #expect(problems(in: "server:\n  \"port\": 1\n  'port': 2\n  port: 3\n").map(\.message)
            == ["duplicate key 'port'; first set at line 2, column 3", "duplicate key 'port'; first set at line 2, column 3"])
    }

    @Test func duplicateSectionsAndOtherProblemsAreAllReported() {
        let yaml = """
            server:
              port: 1
              port: x
            logging:
              level: info
            server:
              hz: 0
            """
        #expect(problems(in: yaml) == [
            ConfigurationProblem(path: "server.port", line: 3, column: 3,
                                 message: "duplicate key 'port'; first set at line 2, column 3"),
            ConfigurationProblem(path: "server.port", line: 3, column: 9,
                                 message: "must be an integer between 0 and 65535, got 'x'"),
            ConfigurationProblem(path: "server", line: 6, column: 1,
                                 message: "duplicate key 'server'; first set at line 1, column 1"),
            ConfigurationProblem(path: "server.hz", line: 7, column: 7,
                                 message: "must be an integer between 1 and 500, got 0"),
        ])
    }

    @Test func everyOccurrenceIsCheckedAndTheLastOneWins() throws {
        #expect(problems(in: "server:\n  port: x\n  port: 1\n").map(\.message)
            == ["must be an integer between 0 and 65535, got 'x'", "duplicate key 'port'; first set at line 2, column 3"])
        #expect(problems(in: "logging:\n  level: debug\n  level: error\n").count == 1)
    }

    @Test func sameKeyInDifferentSectionsIsNoDuplicate() throws {
        #expect(problems(in: "server:\n  level: 1\nlogging:\n  level: 1\n").map(\.path) == ["server.level", "logging.level"])
    }

    /// A key that cannot be renamed (an empty quoted key) is still reported, as one problem of the document.
    @Test func anUnrenamableDuplicateIsOneProblem() {
        #expect(problems(in: "server:\n  port: x\n\"\": 1\n'': 2\n")
            == [ConfigurationProblem(path: "", line: 3, column: 1, message: "duplicate key ''")])
    }
}
