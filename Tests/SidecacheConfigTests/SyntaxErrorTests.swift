import SidecacheConfig
import Testing

@Suite struct SyntaxErrorTests {
    @Test func aSyntaxErrorIsOneProblemWithYamsPosition() {
        #expect(problems(in: "server:\n  port: 1\n bind: x\n") == [ConfigurationProblem(
            path: "", line: 3, column: 2,
            message: "invalid YAML: did not find expected key (while parsing a block mapping at line 1, column 1)")])
    }

    @Test func mappingValueInPlainScalar() {
        #expect(problems(in: "server:\n  port: a: b\n") == [ConfigurationProblem(
            path: "", line: 2, column: 10, message: "invalid YAML: mapping values are not allowed in this context")])
    }

    @Test func unclosedFlowSequence() throws {
        let problem = try #require(problems(in: "server:\n  bind: [127.0.0.1\n").first)
        #expect(problem.path == "")
        #expect(problem.line == 3)
        #expect(problem.message.hasPrefix("invalid YAML: "))
    }

    @Test func tabIndentation() throws {
        let found = problems(in: "server:\n\tport: 1\n")
        #expect(found.count == 1)
        #expect(found.first?.line == 2)
        #expect(found.first?.column == 1)
    }

    @Test func aBareStarIsAnAliasAndThusAnError() throws {
        let found = problems(in: "server:\n  bind: *\n")
        #expect(found.map(\.line) == [2])
        #expect(found.first?.message.hasPrefix("invalid YAML: ") == true)
    }

    @Test func undefinedAlias() {
        #expect(problems(in: "server:\n  port: *p\n") == [ConfigurationProblem(
            path: "", line: 2, column: 9, message: "invalid YAML: found undefined alias")])
    }

    @Test func severalDocuments() {
        #expect(problems(in: "server: {}\n---\nlimits: {}\n") == [ConfigurationProblem(
            path: "", line: 2, column: 1,
            message: "invalid YAML: expected a single document in the stream, but found another document")])
    }

    @Test func controlCharacters() {
        #expect(problems(in: "server:\n  port: 1\u{1}\n") == [ConfigurationProblem(
            path: "", line: 2, column: 10, message: "invalid YAML: control characters are not allowed")])
    }

    @Test func deepNestingIsAProblemNotACrash() throws {
        let found = problems(in: "server:\n  bind: " + String(repeating: "[", count: 100_000))
        #expect(found.count == 1)
        #expect(found.first?.message.contains("nesting") == true)
    }

    @Test func anchorsAndAliasesAreResolved() throws {
        let configuration = try SidecacheConfiguration.decode(yaml: "server:\n  databases: &n 100\n  hz: *n\n")
        #expect(configuration.server.databases == 100)
        #expect(configuration.server.hz == 100)
    }
}
