import Foundation
import NIOCore
import NIOPosix

/// A process a test starts (redis-server, nutcracker), killed when the test is done with it
/// and at the latest when this object goes away. Children inherit the environment, so
/// `scripts/test` can reap them by SIDECACHE_TEST_RUN if the test runner itself dies.
final class ChildProcess: @unchecked Sendable {
    let process: Process

    init(executable: String, arguments: [String]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    /// SIGKILL: nothing the tests start persists anything.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// A loopback port in 23000..<24000 that could be bound a moment ago (the range is below
    /// Linux's ephemeral ports, so outgoing connections do not take it meanwhile).
    static func freePort() async throws -> Int {
        for _ in 0..<50 {
            let port = Int.random(in: 23000..<24000)
            guard let channel = try? await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: "127.0.0.1", port: port).get()
            else { continue }
            try await channel.close()
            return port
        }
        throw TestFailure("no free loopback port in 23000..<24000")
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A loopback port held by a socket that is bound but not listening: connecting to it is
/// refused at once (a server that is down), and no other process can bind it until `release()`.
final class RefusingPort: @unchecked Sendable {
    let port: Int
    private var descriptor: Int32

    init() throws {
        for _ in 0..<50 {
            let port = Int.random(in: 23000..<24000)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { break }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if bound == 0 {
                self.port = port
                self.descriptor = descriptor
                return
            }
            close(descriptor)
        }
        throw TestFailure("could not reserve a loopback port in 23000..<24000")
    }

    /// Frees the port (for a server to start on it).
    func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
