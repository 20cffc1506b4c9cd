import SidecacheDifftest
import Foundation
import NIOCore
import SidecacheRESP

#if canImport(Glibc)
import Glibc
#endif

// Test support of the string algorithm tests, nested so that it cannot collide with
// helpers of other engine tests.
extension StringsTests {
    struct RedisOracleError: Error, CustomStringConvertible {
        let description: String
    }

    /// A real `redis-server` on a free loopback port with one blocking connection to it: the
    /// oracle of the string algorithms' differential tests. Nothing is persisted.
    /// Use `RedisOracle.with { redis in ... }`, which always stops the server.
    final class RedisOracle {
        static let executable = "/usr/bin/redis-server"
        static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: executable) }

        let process: Process
        let port: Int
        private var socket: Int32 = -1
        private var buffer = ByteBuffer()
        private let parser = RESPReplyParser()

        private init(process: Process, port: Int) {
            self.process = process
            self.port = port
        }

        /// Starts a server, runs `body` with it, and stops it whatever happens.
        static func with<T>(_ body: (RedisOracle) throws -> T) throws -> T {
            let redis = try start()
            defer { redis.stop() }
            return try body(redis)
        }

        static func start() throws -> RedisOracle {
            for _ in 0..<3 {
                let port = try freePort()
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = [
                    "--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--daemonize", "no", "--loglevel", "warning", "--dir", NSTemporaryDirectory(),
                ]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                let redis = RedisOracle(process: process, port: port)
                // Wait for it to accept connections: a deadline on start-up, not a timing assertion.
                let deadline = ContinuousClock.now + .seconds(10)
                while ContinuousClock.now < deadline && process.isRunning {
                    if (try? redis.connect()) != nil, (try? redis.command("PING")) == .simple("PONG") {
                        return redis
                    }
                    redis.disconnect()
                    usleep(20_000)
                }
                redis.stop()
            }
            throw RedisOracleError(description: "redis-server did not start")
        }

        func stop() {
            disconnect()
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitForExit()
        }

        /// A port that was free a moment ago (bound to port 0, then closed).
        static func freePort() throws -> Int {
            let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw RedisOracleError(description: "socket() failed") }
            defer { close(fd) }
            var address = loopback(port: 0)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else { throw RedisOracleError(description: "bind() failed") }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            return Int(UInt16(bigEndian: address.sin_port))
        }

        private static func loopback(port: UInt16) -> sockaddr_in {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            return address
        }

        private func connect() throws {
            let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw RedisOracleError(description: "socket() failed") }
            var address = Self.loopback(port: UInt16(port))
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else {
                close(fd)
                throw RedisOracleError(description: "connect() failed")
            }
            // No read waits forever: a stuck server fails the test instead of hanging it.
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            socket = fd
            buffer.clear()
        }

        private func disconnect() {
            if socket >= 0 { close(socket) }
            socket = -1
        }

        /// Sends one command and returns its reply.
        func command(_ arguments: [[UInt8]]) throws -> RESPValue {
            var request: [UInt8] = Array("*\(arguments.count)\r\n".utf8)
            for argument in arguments {
                request += Array("$\(argument.count)\r\n".utf8)
                request += argument
                request += [0x0D, 0x0A]
            }
            var sent = 0
            while sent < request.count {
                let n = request[sent...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard n > 0 else { throw RedisOracleError(description: "send() failed") }
                sent += n
            }
            while true {
                if let reply = try parser.next(from: &buffer) { return reply }
                var chunk = [UInt8](repeating: 0, count: 65536)
                let n = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
                guard n > 0 else { throw RedisOracleError(description: "no reply from redis-server") }
                buffer.writeBytes(chunk[0..<n])
            }
        }

        func command(_ arguments: String...) throws -> RESPValue {
            try command(arguments.map { Array($0.utf8) })
        }

        /// The value of `key` (`nil` when missing).
        func value(_ key: String) throws -> [UInt8]? {
            switch try command("GET", key) {
            case .bulkString(.some(let bytes)): Array(bytes.readableBytesView)
            case .bulkString(nil): nil
            case let other: throw RedisOracleError(description: "GET replied \(other)")
            }
        }

        /// Stores `value` at `key`, or deletes `key` for `nil`.
        func set(_ key: String, _ value: [UInt8]?) throws {
            if let value {
                _ = try command([Array("SET".utf8), Array(key.utf8), value])
            } else {
                _ = try command("DEL", key)
            }
        }
    }

    /// SplitMix64: a small seeded generator, so that failing cases can be replayed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64

        init(seed: UInt64) {
            state = seed
        }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// The bytes of `text`.
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
}
