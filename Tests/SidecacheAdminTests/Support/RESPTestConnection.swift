import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A blocking RESP connection to the server under test, for setting up keys and reading
/// settings back: sends a command, reads one reply as text.
final class RESPTestConnection: @unchecked Sendable {
    private let socket: Int32
    private var buffer: [UInt8] = []

    init(port: Int) throws {
        socket = try connectedLoopbackSocket(port: port, timeoutSeconds: 10)
    }

    deinit { close(socket) }

    /// Sends `arguments` and returns the reply: simple strings, errors, integers and bulk
    /// strings as their text, arrays as their elements joined by newlines.
    @discardableResult
    func command(_ arguments: String...) throws -> String {
        var request = "*\(arguments.count)\r\n"
        for argument in arguments { request += "$\(argument.utf8.count)\r\n\(argument)\r\n" }
        let bytes = Array(request.utf8)
        guard bytes.withUnsafeBytes({ send(socket, $0.baseAddress, $0.count, 0) }) == bytes.count else {
            throw HTTPTestClient.Failure(description: "send failed")
        }
        return try readReply()
    }

    private func readLine() throws -> String {
        while true {
            if let end = buffer.indices.first(where: { $0 + 1 < buffer.count && buffer[$0] == 13 && buffer[$0 + 1] == 10 }) {
                let line = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeFirst(end + 2)
                return line
            }
            try fill()
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw HTTPTestClient.Failure(description: "connection closed") }
        buffer += chunk[0..<count]
    }

    private func readReply() throws -> String {
        let line = try readLine()
        let rest = String(line.dropFirst())
        switch line.first {
        case "$":
            guard let length = Int(rest), length >= 0 else { return "(nil)" }
            while buffer.count < length + 2 { try fill() }
            let text = String(decoding: buffer[..<length], as: UTF8.self)
            buffer.removeFirst(length + 2)
            return text
        case "*":
            guard let count = Int(rest), count >= 0 else { return "(nil)" }
            return try (0..<count).map { _ in try readReply() }.joined(separator: "\n")
        default:
            return line.first == "-" ? line : rest
        }
    }
}
