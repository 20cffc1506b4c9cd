import SidecacheConfig
import Testing

@Suite struct ProblemReportingTests {
    @Test func everyProblemIsReportedWithItsPathAndPosition() {
        let yaml = """
            server:
              port: 70000
              prot: 1
              maxclients: 0
              timeout: 500ms
            limits:
              proto_max_bulk_len: 1.5mb
            logging:
              level: verbose
              format: yaml
            """
        #expect(problems(in: yaml) == [
            ConfigurationProblem(path: "server.port", line: 2, column: 9,
                                 message: "must be an integer between 0 and 65535, got 70000"),
            ConfigurationProblem(path: "server.prot", line: 3, column: 3,
                                 message: "unknown key 'prot'; did you mean 'port'?"),
            ConfigurationProblem(path: "server.maxclients", line: 4, column: 15,
                                 message: "must be an integer of at least 1, got 0"),
            ConfigurationProblem(path: "server.timeout", line: 5, column: 12, message:
                "must be a duration of whole seconds between 0 and 2147483647 (seconds, or a number with unit s, m, h, d), got '500ms'"),
            ConfigurationProblem(path: "limits.proto_max_bulk_len", line: 7, column: 23, message:
                "must be a size of at least 1mb (bytes, or a number with unit b, k, kb, m, mb, g, gb), got '1.5mb'"),
            ConfigurationProblem(path: "logging.level", line: 9, column: 10,
                                 message: "must be one of trace, debug, info, notice, warning, error, critical, got 'verbose'"),
            ConfigurationProblem(path: "logging.format", line: 10, column: 11,
                                 message: "must be one of text, json, got 'yaml'"),
        ])
    }

    @Test func problemsComeInDocumentOrderWhateverTheSectionOrder() {
        let found = problems(in: "logging:\n  level: loud\nserver: {port: -1, hz: 0}\nlimits: 3\n")
        #expect(found.map(\.path) == ["logging.level", "server.port", "server.hz", "limits"])
        #expect(found.map(\.line) == [2, 3, 3, 4])
        #expect(found.map(\.column) == [10, 16, 24, 9])
    }

    @Test(arguments: [
        ("server:\n  prot: 1\n", "server.prot", "unknown key 'prot'; did you mean 'port'?"),
        ("server:\n  maxclient: 1\n", "server.maxclient", "unknown key 'maxclient'; did you mean 'maxclients'?"),
        ("server:\n  Port: 1\n", "server.Port", "unknown key 'Port'; did you mean 'port'?"),
        ("server:\n  tcp-keepalive: 1\n", "server.tcp-keepalive", "unknown key 'tcp-keepalive'; did you mean 'tcp_keepalive'?"),
        ("limits:\n  proto-max-bulk-len: 1mb\n", "limits.proto-max-bulk-len",
         "unknown key 'proto-max-bulk-len'; did you mean 'proto_max_bulk_len'?"),
        ("sever:\n  port: 1\n", "sever", "unknown key 'sever'; did you mean 'server'?"),
        ("port: 1\n", "port", "unknown key 'port'; did you mean 'server.port'?"),
        ("limits:\n  hz: 1\n", "limits.hz", "unknown key 'hz'; did you mean 'server.hz'?"),
        ("server:\n  compression: on\n", "server.compression", "unknown key 'compression'"),
        ("server:\n  db: 1\n", "server.db", "unknown key 'db'"),
        ("proxy:\n  host: x\n", "proxy", "unknown key 'proxy'"),
    ])
    func unknownKeysSuggestTheNearestKnownKey(yaml: String, path: String, message: String) {
        let found = problems(in: yaml)
        #expect(found.map(\.path) == [path])
        #expect(found.map(\.message) == [message])
    }

    @Test func unknownKeyIsReportedAtTheKey() {
        #expect(problems(in: "server:\n  port: 1\n  prot: 2\n")
            == [ConfigurationProblem(path: "server.prot", line: 3, column: 3, message: "unknown key 'prot'; did you mean 'port'?")])
    }

    @Test func wrongTypesOfSectionsAndDocument() {
        #expect(problems(in: "server: 5\n") == [ConfigurationProblem(
            path: "server", line: 1, column: 9,
            message: "must be a mapping with keys bind, port, maxclients, timeout, tcp_keepalive, databases, requirepass, hz, notify_keyspace_events, protected_mode, rename_commands, got 5")])
        #expect(problems(in: "logging: [info]\n") == [ConfigurationProblem(
            path: "logging", line: 1, column: 10, message: "must be a mapping with keys level, format, got a list")])
        #expect(problems(in: "- server\n") == [ConfigurationProblem(
            path: "", line: 1, column: 1, message: "must be a mapping with keys server, limits, logging, encoding, upstream, monitoring, memory, cache, acl, tls, admin, data_dir, got a list")])
        #expect(problems(in: "hello") == [ConfigurationProblem(
            path: "", line: 1, column: 1, message: "must be a mapping with keys server, limits, logging, encoding, upstream, monitoring, memory, cache, acl, tls, admin, data_dir, got 'hello'")])
    }

    @Test func keysThatAreNotNamesAreProblems() {
        #expect(problems(in: "server:\n  ? [a, b]\n  : 1\n") == [ConfigurationProblem(
            path: "server", line: 2, column: 5, message: "keys must be names, got a list")])
    }

    @Test func aLongValueIsShortenedInTheMessage() throws {
        let long = String(repeating: "x", count: 100)
        let problem = try #require(problems(in: "logging:\n  level: \(long)\n").first)
        let shortened = String(repeating: "x", count: 57) + "..."
        #expect(problem.message == "must be one of trace, debug, info, notice, warning, error, critical, got '\(shortened)'")
    }

    @Test func aPasswordIsNeverEchoedInAProblem() {
        let found = problems(in: "server:\n  requirepass: [hunter2]\n")
        #expect(found.map(\.message) == ["must be a string, got a list"])
    }

    @Test func descriptionsShowPathAndPosition() {
        #expect(ConfigurationProblem(path: "server.port", line: 3, column: 9, message: "must be x").description
            == "server.port (line 3, column 9): must be x")
        #expect(ConfigurationProblem(path: "server.port", message: "must be x").description == "server.port: must be x")
        #expect(ConfigurationProblem(path: "", line: 2, column: 1, message: "invalid YAML").description
            == "line 2, column 1: invalid YAML")
        #expect(ConfigurationProblem(path: "", message: "cannot read 'x'").description == "cannot read 'x'")
    }

    @Test func errorDescriptionListsEveryProblem() {
        let one = ConfigurationError(problems: [ConfigurationProblem(path: "a", message: "m")])
        #expect(one.description == "invalid configuration: a: m")
        let two = ConfigurationError(problems: [
            ConfigurationProblem(path: "a", line: 1, column: 2, message: "m"),
            ConfigurationProblem(path: "b", message: "n"),
        ])
        #expect(two.description == "invalid configuration, 2 problems:\n  a (line 1, column 2): m\n  b: n")
    }
}
