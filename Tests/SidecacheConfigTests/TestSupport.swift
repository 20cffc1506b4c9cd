import SidecacheConfig
import Testing

/// The problems `yaml` has; records an issue when it decodes without any.
func problems(in yaml: String, sourceLocation: SourceLocation = #_sourceLocation) -> [ConfigurationProblem] {
    do {
        let configuration = try SidecacheConfiguration.decode(yaml: yaml)
        Issue.record("expected problems, decoded \(configuration)", sourceLocation: sourceLocation)
        return []
    } catch {
        return error.problems
    }
}

/// A document that sets one key: "server.port", "70000" gives "server:\n  port: 70000\n"
/// (a deeper path nests one more mapping per part).
func document(setting path: String, to value: String) -> String {
    let parts = path.split(separator: ".")
    return parts.enumerated().map { depth, part in
        String(repeating: "  ", count: depth) + part + (depth == parts.count - 1 ? ": \(value)\n" : ":\n")
    }.joined()
}

/// The default configuration with `change` applied.
func defaults(_ change: (inout SidecacheConfiguration) -> Void) -> SidecacheConfiguration {
    var configuration = SidecacheConfiguration()
    change(&configuration)
    return configuration
}

/// The `config/` folder of the repository, found from this file's path.
func configFolder(filePath: String = #filePath) -> String {
    var components = filePath.split(separator: "/", omittingEmptySubsequences: false)
    components.removeLast(3)  // Tests/SidecacheConfigTests/TestSupport.swift
    return components.joined(separator: "/") + "/config"
}
