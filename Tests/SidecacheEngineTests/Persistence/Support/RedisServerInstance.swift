import SidecacheDifftest
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension PersistenceTests {
    /// A real `redis-server` on a free loopback port, started for one test and killed after it
    /// (nothing is persisted: `--save "" --appendonly no`).
    final class RedisServerInstance {
        static let executable = "/usr/bin/redis-server"
        static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: executable) }

        let process: Process
        let port: Int
        let client: BlockingRedisClient

        private init(process: Process, port: Int, client: BlockingRedisClient) {
            self.process = process
            self.port = port
            self.client = client
        }

        /// A port that was free a moment ago: bound to port 0, read back, closed.
        static func freePort() throws -> Int {
            #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
            #endif
            guard fd >= 0 else { throw RedisTestError(description: "socket() failed") }
            defer { close(fd) }
            var address = BlockingRedisClient.loopback(port: 0)
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
                }
            }
            guard bound else { throw RedisTestError(description: "bind to a free port failed") }
            return Int(UInt16(bigEndian: address.sin_port))
        }

        static func start() throws -> RedisServerInstance {
            for _ in 0..<3 {
                let port = try freePort()
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = [
                    "--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--daemonize", "no", "--loglevel", "warning", "--dir", NSTemporaryDirectory(),
                    "--enable-debug-command", "local",  // DEBUG QUICKLIST-PACKED-THRESHOLD
                ]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                for _ in 0..<250 where process.isRunning {
                    if let client = try? BlockingRedisClient(port: port), (try? client.command("PING")) == .simple("PONG") {
                        return RedisServerInstance(process: process, port: port, client: client)
                    }
                    usleep(20_000)
                }
                kill(process.processIdentifier, SIGKILL)
                process.waitForExit()
            }
            throw RedisTestError(description: "redis-server did not start")
        }

        func stop() {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitForExit()
        }

        deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    }

    /// Runs `body` against a fresh redis-server, which is killed afterwards, also on failure.
    static func withRedisServer<T>(_ body: (BlockingRedisClient) throws -> T) throws -> T {
        let server = try RedisServerInstance.start()
        defer { server.stop() }
        return try body(server.client)
    }
}
