import NIOCore
import SidecacheRESP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking RESP connection to a redis-server on loopback, for the oracle tests of hashes
/// and sets: commands with their replies, and (subscribed) reading pushed messages. Every
/// read gives up after 10 seconds, so a stuck server fails the test instead of hanging it.
final class RedisConnection {
    struct ConnectionError: Error, CustomStringConvertible {
        let description: String
    }

    private let socket: Int32
    private var buffer = ByteBuffer()
    private let parser = RESPReplyParser()

    init(port: Int) throws {
        #if canImport(Glibc)
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        socket = Darwin.socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard socket >= 0 else { throw ConnectionError(description: "socket() failed") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(socket)
            throw ConnectionError(description: "connect to port \(port) failed")
        }
    }

    deinit { close(socket) }

    func write(_ arguments: [[UInt8]]) throws {
        var request: [UInt8] = Array("*\(arguments.count)\r\n".utf8)
        for argument in arguments {
            request += Array("$\(argument.count)\r\n".utf8)
            request += argument
            request += [0x0D, 0x0A]
        }
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw ConnectionError(description: "send() failed") }
            sent += n
        }
    }

    /// The next whole reply or pushed message.
    func readReply() throws -> RESPValue {
        while true {
            if let reply = try parser.next(from: &buffer) { return reply }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw ConnectionError(description: "no reply from redis-server") }
            buffer.writeBytes(chunk[0..<n])
        }
    }

    @discardableResult
    func command(_ arguments: [[UInt8]]) throws -> RESPValue {
        try write(arguments)
        return try readReply()
    }

    @discardableResult
    func command(_ arguments: String...) throws -> RESPValue {
        try command(arguments.map { Array($0.utf8) })
    }
}
