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

/// A document that sets one key: "server.port", "70000" gives "server:\n  port: 70000\n".
func document(setting path: String, to value: String) -> String {
    let parts = path.split(separator: ".")
    return "\(parts[0]):\n  \(parts[1]): \(value)\n"
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
