import Foundation
import SidecacheConfig
import Testing

@Suite struct LoadTests {
    /// Writes `bytes` to a new temporary file and returns its path.
    private func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sidecache-\(UUID().uuidString).yaml").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func loadProblems(_ path: String) -> [ConfigurationProblem] {
        do {
            _ = try SidecacheConfiguration.load(path: path)
            Issue.record("expected \(path) to fail")
            return []
        } catch {
            return error.problems
        }
    }

    @Test func aMissingFileIsOneProblemWithTheReason() {
        let path = "/nonexistent-sidecache-dir/sidecache.yaml"
        #expect(loadProblems(path)
            == [ConfigurationProblem(path: "", message: "cannot read '\(path)': No such file or directory")])
    }

    @Test func aDirectoryIsOneProblemWithTheReason() {
        #expect(loadProblems(configFolder())
            == [ConfigurationProblem(path: "", message: "cannot read '\(configFolder())': Is a directory")])
    }

    @Test func aFileThatIsNotUTF8IsAProblem() throws {
        let path = try temporaryFile([0x70, 0x6F, 0x72, 0x74, 0xFF, 0xFE])
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(loadProblems(path) == [ConfigurationProblem(path: "", message: "cannot read '\(path)': not valid UTF-8")])
    }

    @Test func aValidFileIsDecoded() throws {
        let path = try temporaryFile(Array("server:\n  port: 7000\nlogging: {format: json}\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try SidecacheConfiguration.load(path: path)
        #expect(configuration == defaults { $0.server.port = 7000; $0.logging.format = .json })
    }

    @Test func aFileWithProblemsReportsThemAll() throws {
        let path = try temporaryFile(Array("server:\n  port: x\n  hz: 0\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(loadProblems(path).map(\.path) == ["server.port", "server.hz"])
    }

    @Test func aFileLargerThanTheLimitIsRefused() throws {
        let path = try temporaryFile(Array(repeating: UInt8(ascii: "#"), count: 16 * 1024 * 1024 + 1))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(loadProblems(path) == [ConfigurationProblem(path: "", message: "cannot read '\(path)': larger than 16 MiB")])
    }
}
