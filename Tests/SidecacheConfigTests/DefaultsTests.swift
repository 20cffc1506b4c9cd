import SidecacheConfig
import Testing

@Suite struct DefaultsTests {
    @Test func initGivesTheDocumentedDefaults() {
        let configuration = SidecacheConfiguration()
        #expect(configuration.server.bind == ["127.0.0.1"])
        #expect(configuration.server.port == 6380)
        #expect(configuration.server.maxClients == 10000)
        #expect(configuration.server.timeoutSeconds == 0)
        #expect(configuration.server.tcpKeepaliveSeconds == 300)
        #expect(configuration.server.databases == 16)
        #expect(configuration.server.requirePass == nil)
        #expect(configuration.server.hz == 10)
        #expect(configuration.server.notifyKeyspaceEvents == "")
        #expect(configuration.limits.protoMaxBulkLen == 536_870_912)
        #expect(configuration.limits.maxMultibulkLength == 2_147_483_647)
        #expect(configuration.limits.maxInlineLength == 65536)
        #expect(configuration.limits.maxNestingDepth == 128)
        #expect(configuration.limits.clientQueryBufferLimit == 1_073_741_824)
        #expect(configuration.logging.level == .info)
        #expect(configuration.logging.format == .text)
        #expect(configuration.monitoring.slowlogLogSlowerThan == 10_000)
        #expect(configuration.monitoring.slowlogMaxLen == 128)
        #expect(configuration.monitoring.latencyMonitorThreshold == 0)
    }

    @Test(arguments: [
        "", "\n", "# only a comment\n", "{}", "---\n", "~", "server:\nlimits:\nlogging:\n",
        "server: {}\nlimits: {}\nlogging: {}\n", "server:\n  # port: 1\n",
    ])
    func emptyDocumentsGiveTheDefaults(yaml: String) throws {
        #expect(try SidecacheConfiguration.decode(yaml: yaml) == SidecacheConfiguration())
    }

    @Test func theDefaultFileDecodesToTheDefaults() throws {
        let configuration = try SidecacheConfiguration.load(path: configFolder() + "/sidecache.yaml")
        #expect(configuration == SidecacheConfiguration())
    }

    /// Every key the decoder knows is documented in the default file, so the two cannot drift apart.
    @Test func theDefaultFileListsEveryKnownKey() throws {
        let text = try String(contentsOfFile: configFolder() + "/sidecache.yaml", encoding: .utf8)
        var section = ""
        var keyPathsInFile: Set<String> = []
        for line in text.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            if line.hasPrefix(" ") {
                keyPathsInFile.insert("\(section).\(name)")
            } else if line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces).isEmpty {
                section = name
            } else {
                keyPathsInFile.insert(name)  // a top-level key such as data_dir
            }
        }
        #expect(SidecacheConfiguration.knownKeyPaths.count == 58)
        let missing = SidecacheConfiguration.knownKeyPaths.filter { !keyPathsInFile.contains($0) }
        #expect(missing == [])
    }

    /// Above each key, a comment that says what it does and names the Redis equivalent.
    @Test func theDefaultFileCommentsEveryKey() throws {
        let lines = try String(contentsOfFile: configFolder() + "/sidecache.yaml", encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        var comment: [Substring] = []
        var keysSeen = 0
        for line in lines {
            let topLevelKey = !line.hasPrefix(" ") && !line.hasPrefix("#") && line.contains(": ")
            if line.hasPrefix("  #") || line.hasPrefix("# ") {
                comment.append(line)
            } else if line.hasPrefix("  ") || topLevelKey {
                keysSeen += 1
                #expect(comment.contains { $0.contains("Redis:") }, "no comment naming the Redis equivalent above '\(line)'")
                comment = []
            }
        }
        #expect(keysSeen == SidecacheConfiguration.knownKeyPaths.count)
    }
}
