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
        let keyPathsInFile = Set(try defaultFileKeys().map(\.path))
        #expect(SidecacheConfiguration.knownKeyPaths.count == 96)
        // A cache rule's keys are documented in the comment above `rules: []` (the default
        // has no rules), each as `#   name:`.
        let missing = SidecacheConfiguration.knownKeyPaths.filter { !$0.hasPrefix("cache.rules.") && !keyPathsInFile.contains($0) }
        #expect(missing == [])
        let text = try String(contentsOfFile: configFolder() + "/sidecache.yaml", encoding: .utf8)
        let undocumented = SidecacheConfiguration.knownKeyPaths.filter { path in
            guard path.hasPrefix("cache.rules.") else { return false }
            let name = path.split(separator: ".").last!
            return !text.contains("#   \(name):") && !text.contains(" \(name): ")
        }
        #expect(undocumented == [])
    }

    /// Above each key, a comment that says what it does and names the Redis equivalent.
    @Test func theDefaultFileCommentsEveryKey() throws {
        let leaves = try defaultFileKeys().filter(\.isLeaf)
        for key in leaves {
            #expect(key.comment.contains { $0.contains("Redis:") }, "no comment naming the Redis equivalent above '\(key.path)'")
        }
        // Every key but a cache rule's (documented inside one comment), plus `cache.rules` itself.
        let ruleKeys = SidecacheConfiguration.knownKeyPaths.filter { $0.hasPrefix("cache.rules.") }.count
        #expect(leaves.count == SidecacheConfiguration.knownKeyPaths.count - ruleKeys + 1)
    }

    /// The keys of config/sidecache.yaml in order: dotted path (from indentation), whether it
    /// is a leaf (no keys below it), and the comment lines right above it.
    private func defaultFileKeys() throws -> [(path: String, isLeaf: Bool, comment: [Substring])] {
        let lines = try String(contentsOfFile: configFolder() + "/sidecache.yaml", encoding: .utf8)
            .split(separator: "\n")
        var keys: [(path: String, indent: Int, isLeaf: Bool, comment: [Substring])] = []
        var parents: [(indent: Int, name: String)] = []
        var comment: [Substring] = []
        for line in lines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#") {
                comment.append(line)
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let indent = line.prefix { $0 == " " }.count
            while let last = parents.last, last.indent >= indent { parents.removeLast() }
            if let previous = keys.last, previous.indent < indent { keys[keys.count - 1].isLeaf = false }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            parents.append((indent, name))
            keys.append((parents.map(\.name).joined(separator: "."), indent, true, comment))
            comment = []
        }
        return keys.map { ($0.path, $0.isLeaf, $0.comment) }
    }
}
