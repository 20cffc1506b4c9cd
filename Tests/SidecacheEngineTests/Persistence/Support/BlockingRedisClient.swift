import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension PersistenceTests {
    struct RedisTestError: Error, CustomStringConvertible {
        let description: String
    }

    /// A minimal blocking RESP2 client over a loopback TCP socket, for comparing with a real
    /// redis-server. Every read gives up after 5 seconds.
    final class BlockingRedisClient {
        enum Reply: Equatable {
            case simple(String)
            case error(String)
            case integer(Int64)
            case bulk([UInt8]?)
            case array([Reply]?)

            /// The bytes of a bulk reply; fails the caller otherwise.
            func bytes() throws -> [UInt8] {
                guard case .bulk(.some(let bytes)) = self else { throw RedisTestError(description: "expected a bulk string, got \(self)") }
                return bytes
            }

            /// The elements of an array of bulk strings.
            func byteArrays() throws -> [[UInt8]] {
                guard case .array(.some(let elements)) = self else { throw RedisTestError(description: "expected an array, got \(self)") }
                return try elements.map { try $0.bytes() }
            }
        }

        private let socket: Int32
        private var buffer: [UInt8] = []
        private var position = 0

        init(port: Int) throws {
            #if canImport(Glibc)
            socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            #else
            socket = Darwin.socket(AF_INET, SOCK_STREAM, 0)
            #endif
            guard socket >= 0 else { throw RedisTestError(description: "socket() failed") }
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var address = Self.loopback(port: port)
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard result == 0 else {
                close(socket)
                throw RedisTestError(description: "connect to port \(port) failed")
            }
        }

        deinit { close(socket) }

        static func loopback(port: Int) -> sockaddr_in {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            return address
        }

        /// Sends one command (arguments as bytes) and reads its reply.
        @discardableResult
        func command(_ arguments: [[UInt8]]) throws -> Reply {
            var request = Array("*\(arguments.count)\r\n".utf8)
            for argument in arguments {
                request += Array("$\(argument.count)\r\n".utf8)
                request += argument
                request += [13, 10]
            }
            var sent = 0
            while sent < request.count {
                let n = request[sent...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, 0) }
                guard n > 0 else { throw RedisTestError(description: "send failed") }
                sent += n
            }
            return try readReply()
        }

        @discardableResult
        func command(_ arguments: String...) throws -> Reply {
            try command(arguments.map { Array($0.utf8) })
        }

        private func fill() throws {
            if position > 0 {
                buffer.removeFirst(position)
                position = 0
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw RedisTestError(description: "connection closed or read timed out") }
            buffer += chunk[0..<n]
        }

        private func readLine() throws -> [UInt8] {
            while true {
                if let end = buffer[position...].firstIndex(of: 13), end + 1 < buffer.count {
                    let line = Array(buffer[position..<end])
                    position = end + 2
                    return line
                }
                try fill()
            }
        }

        private func readBytes(_ count: Int) throws -> [UInt8] {
            while buffer.count - position < count + 2 { try fill() }
            defer { position += count + 2 }
            return Array(buffer[position..<position + count])
        }

        private func readReply() throws -> Reply {
            let line = try readLine()
            guard let marker = line.first else { throw RedisTestError(description: "empty reply line") }
            let text = String(decoding: line.dropFirst(), as: UTF8.self)
            switch marker {
            case UInt8(ascii: "+"): return .simple(text)
            case UInt8(ascii: "-"): return .error(text)
            case UInt8(ascii: ":"): return .integer(Int64(text) ?? 0)
            case UInt8(ascii: "$"):
                let length = Int(text) ?? -1
                return length < 0 ? .bulk(nil) : .bulk(try readBytes(length))
            case UInt8(ascii: "*"):
                let count = Int(text) ?? -1
                if count < 0 { return .array(nil) }
                return .array(try (0..<count).map { _ in try readReply() })
            default:
                throw RedisTestError(description: "unexpected reply marker \(marker)")
            }
        }
    }
}
