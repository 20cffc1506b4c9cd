import Foundation
import SidecacheConfig
import Testing
import Yams

/// docker/: the compose files parse, every file they (and the Dockerfile) name exists, and the
/// Sidecache configurations they mount decode. No Docker engine runs here; scripts/docker-check
/// runs the image's build and run steps natively.
struct DockerFilesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test(arguments: ["docker/docker-compose.yml", "docker/docker-compose.cluster.yml"])
    func composeFileReferencesExist(file: String) throws {
        let folder = Self.root + "/" + (file as NSString).deletingLastPathComponent
        let document = try #require(try Yams.compose(yaml: String(contentsOfFile: Self.root + "/" + file, encoding: .utf8)))
        let services = try #require(document["services"]?.mapping, "\(file) has no services")
        let names = Set(services.keys.compactMap(\.string))
        #expect(!names.isEmpty)
        let networks = Set(document["networks"]?.mapping?.keys.compactMap(\.string) ?? [])
        var sidecacheServices = 0
        for (key, service) in services {
            let name = key.string ?? "?"
            if let build = service["build"] {
                let context = folder + "/" + (build["context"]?.string ?? ".")
                #expect(FileManager.default.fileExists(atPath: context + "/" + (build["dockerfile"]?.string ?? "Dockerfile")), "\(name): build")
            }
            var mounts: [String: String] = [:]
            for volume in service["volumes"]?.sequence ?? [] {
                let parts = try #require(volume.string, "\(name): long volume syntax").split(separator: ":").map(String.init)
                guard parts.count >= 2, parts[0].hasPrefix(".") || parts[0].hasPrefix("/") else { continue }
                let source = folder + "/" + parts[0]
                #expect(FileManager.default.fileExists(atPath: source), "\(name): mounts \(parts[0]), which does not exist")
                mounts[parts[1]] = source
            }
            let dependencies = service["depends_on"].map { $0.sequence?.compactMap(\.string) ?? $0.mapping?.keys.compactMap(\.string) ?? [] } ?? []
            #expect(Set(dependencies).isSubset(of: names), "\(name): depends on \(dependencies)")
            if let mode = service["network_mode"]?.string, mode.hasPrefix("service:") {
                #expect(names.contains(String(mode.dropFirst("service:".count))), "\(name): \(mode)")
            }
            let joined = service["networks"].map { $0.sequence?.compactMap(\.string) ?? $0.mapping?.keys.compactMap(\.string) ?? [] } ?? []
            #expect(Set(joined).isSubset(of: networks), "\(name): networks \(joined)")
            // A Sidecache service: its --config is a mounted file that decodes.
            let command = service["command"]?.sequence?.compactMap(\.string) ?? []
            if let flag = command.firstIndex(of: "--config"), flag + 1 < command.count {
                sidecacheServices += 1
                let source = try #require(mounts[command[flag + 1]], "\(name): --config \(command[flag + 1]) is not mounted")
                try Self.expectDecodes(source)
            }
        }
        #expect(sidecacheServices == 1, "\(file): one sidecache service with --config")
    }

    @Test func dockerfileReferencesExist() throws {
        let dockerfile = try String(contentsOfFile: Self.root + "/docker/Dockerfile", encoding: .utf8)
        for line in dockerfile.split(separator: "\n") where line.hasPrefix("COPY ") && !line.contains("--from=") {
            let words = line.split(separator: " ").dropFirst().map(String.init)
            for source in words.dropLast() {
                #expect(FileManager.default.fileExists(atPath: Self.root + "/" + source), "\(line)")
            }
        }
        // The build and health-check steps are the scripts scripts/docker-check runs too.
        for script in ["docker/build.sh", "docker/healthcheck.sh", "scripts/docker-check"] {
            #expect(FileManager.default.isExecutableFile(atPath: Self.root + "/" + script), "\(script)")
        }
        #expect(dockerfile.contains("RUN docker/build.sh "))
        #expect(dockerfile.contains("HEALTHCHECK") && dockerfile.contains("sidecache-healthcheck"))
        #expect(dockerfile.contains("USER sidecache"))
        let build = try String(contentsOfFile: Self.root + "/docker/build.sh", encoding: .utf8)
        #expect(build.contains("--static-swift-stdlib"))
        for line in build.split(separator: "\n") where line.hasPrefix("install ") {
            let source = String(line.split(separator: " ").dropLast().last!)
            #expect(source.hasPrefix("\"$") || FileManager.default.fileExists(atPath: Self.root + "/" + source), "\(line)")
        }
        let packages = try String(contentsOfFile: Self.root + "/docker/runtime-packages", encoding: .utf8)
        #expect(packages.contains("libcurl4") && packages.contains("libsqlite3-0"))
    }

    /// The configuration the image carries and the examples next to it all decode.
    @Test(arguments: ["config/docker.yaml", "config/compose.yaml", "config/compose-cluster.yaml"])
    func exampleConfigurationDecodes(file: String) throws {
        try Self.expectDecodes(Self.root + "/" + file)
    }

    /// Decodes the file at `path` with SidecacheConfiguration. The `admin` section is left out
    /// while this build does not know it yet (the admin API is being added beside this work):
    /// everything else must decode as it is.
    static func expectDecodes(_ path: String) throws {
        var text = try String(contentsOfFile: path, encoding: .utf8)
        if !SidecacheConfiguration.knownKeyPaths.contains(where: { $0.hasPrefix("admin.") }) {
            var inAdmin = false
            text = text.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
                if let first = line.first, first != " ", first != "#" { inAdmin = line.hasPrefix("admin:") }
                return !inAdmin
            }.joined(separator: "\n")
        }
        #expect(throws: Never.self, "\(path)") { try SidecacheConfiguration.decode(yaml: text) }
    }
}
