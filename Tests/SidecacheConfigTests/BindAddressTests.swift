import SidecacheConfig
import Testing

@Suite struct BindAddressTests {
    @Test func eachBadListElementIsReportedAtItsIndex() {
        #expect(problems(in: "server:\n  bind: [127.0.0.1, 1.2.3, '::1', localhost2, [x], ~]\n") == [
            ConfigurationProblem(path: "server.bind[1]", line: 2, column: 21,
                                 message: "must be an IPv4 or IPv6 address, 'localhost' or '*', got '1.2.3'"),
            ConfigurationProblem(path: "server.bind[3]", line: 2, column: 35,
                                 message: "must be an IPv4 or IPv6 address, 'localhost' or '*', got 'localhost2'"),
            ConfigurationProblem(path: "server.bind[4]", line: 2, column: 47,
                                 message: "must be an IPv4 or IPv6 address, 'localhost' or '*', got a list"),
            ConfigurationProblem(path: "server.bind[5]", line: 2, column: 52,
                                 message: "must be an IPv4 or IPv6 address, 'localhost' or '*', got nothing"),
        ])
    }

    @Test func eachBadAddressInAStringIsReported() {
        #expect(problems(in: "server:\n  bind: 127.0.0.1 256.0.0.1 ::1 fe80::1%eth0\n").map(\.message) == [
            "must be an IPv4 or IPv6 address, 'localhost' or '*', got '256.0.0.1'",
            "must be an IPv4 or IPv6 address, 'localhost' or '*', got 'fe80::1%eth0'",
        ])
    }

    @Test(arguments: ["''", "'   '", "[]"])
    func noAddressAtAllIsAProblem(yaml: String) {
        #expect(problems(in: "server:\n  bind: \(yaml)\n")
            == [ConfigurationProblem(path: "server.bind", line: 2, column: 9, message: "must name at least one address")])
    }

    @Test func anEmbeddedNulIsNotAnAddress() {
        #expect(problems(in: "server:\n  bind: \"127.0.0.1\\0x\"\n").map(\.path) == ["server.bind"])
    }
}
