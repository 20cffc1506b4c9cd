#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading a configuration file, with the operating system's reason when it cannot be read.
public enum ConfigurationFile {
    /// Larger files are refused rather than read into memory.
    static let maximumSize = 16 * 1024 * 1024

    /// The UTF-8 text of the file at `path`.
    ///
    /// - Throws: one problem with path "": "cannot read '<path>': <reason>", e.g. "No such file or directory".
    public static func text(atPath path: String) throws(ConfigurationError) -> String {
        func failure(_ reason: String) -> ConfigurationError {
            ConfigurationError(problems: [ConfigurationProblem(path: "", message: "cannot read '\(path)': \(reason)")])
        }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw failure(String(cString: strerror(errno))) }
        defer { close(descriptor) }

        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(String(cString: strerror(errno)))
            }
            if count == 0 { break }
            bytes += chunk[..<count]
            guard bytes.count <= maximumSize else { throw failure("larger than \(maximumSize / 1024 / 1024) MiB") }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw failure("not valid UTF-8") }
        return text
    }
}
