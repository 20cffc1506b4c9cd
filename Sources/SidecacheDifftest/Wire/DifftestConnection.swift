import NIOCore
import SidecacheRESP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One blocking RESP connection to an endpoint: a plain TCP socket with send and receive
/// timeouts, so that a server that hangs fails the run after `timeout` with a message naming
/// it and the command, instead of hanging the tester.
///
/// Not thread-safe; the runner owns it and uses it from one thread.
final class DifftestConnection {
    let endpoint: DifftestEndpoint
    private var descriptor: Int32
    private var input = ByteBuffer()
    private let parser = RESPReplyParser()
    private let timeout: Duration

    /// Connects to `endpoint`; throws `DifftestError.setup` when it cannot.
    init(endpoint: DifftestEndpoint, timeout: Duration) throws(DifftestError) {
        self.endpoint = endpoint
        self.timeout = timeout
        #if canImport(Glibc)
            descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw .setup("\(endpoint): socket(): \(Self.errorText())") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(endpoint.port).bigEndian)
        guard inet_pton(AF_INET, endpoint.host, &address.sin_addr) == 1 else {
            Self.closeSocket(descriptor)
            throw .setup("\(endpoint): not an IPv4 address")
        }
        var seconds = timeval()
        let (whole, attoseconds) = timeout.components
        seconds.tv_sec = Int(whole)
        seconds.tv_usec = Int(attoseconds / 1_000_000_000_000)
        var one: Int32 = 1
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let text = Self.errorText()
            Self.closeSocket(descriptor)
            throw .setup("cannot connect to \(endpoint): \(text)")
        }
    }

    deinit {
        close()
    }

    func close() {
        if descriptor >= 0 {
            Self.closeSocket(descriptor)
            descriptor = -1
        }
    }

    /// Sends one command as a RESP multibulk and returns its reply, after the endpoint's reply
    /// transform. Throws `DifftestError.endpoint` on a timeout, a closed connection or a
    /// malformed reply; the connection is then closed and must not be used again.
    func command(_ arguments: [[UInt8]]) throws(DifftestError) -> RESPValue {
        var request: [UInt8] = Array("*\(arguments.count)\r\n".utf8)
        for argument in arguments {
            request += Array("$\(argument.count)\r\n".utf8)
            request += argument
            request += [0x0D, 0x0A]
        }
        do {
            try write(request)
            let reply = try readReply()
            return endpoint.replyTransform?(arguments, reply) ?? reply
        } catch {
            close()
            throw .endpoint("\(endpoint): \(error) (command: \(Self.describe(arguments)))")
        }
    }

    /// No SIGPIPE when the server has closed the connection: an error return instead.
    #if canImport(Glibc)
    private static let sendFlags = Int32(MSG_NOSIGNAL)
    #else
    private static let sendFlags: Int32 = 0
    #endif

    private struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private func write(_ bytes: [UInt8]) throws(Failure) {
        guard descriptor >= 0 else { throw Failure(description: "connection already closed") }
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer in
                send(descriptor, buffer.baseAddress! + offset, buffer.count - offset, Self.sendFlags)
            }
            if sent < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { throw Failure(description: "send blocked for \(timeout)") }
                throw Failure(description: "send(): \(Self.errorText())")
            }
            offset += sent
        }
    }

    private func readReply() throws(Failure) -> RESPValue {
        while true {
            do {
                if let value = try parser.next(from: &input) {
                    input.discardReadBytes()
                    return value
                }
            } catch {
                throw Failure(description: "malformed reply: \(error)")
            }
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            let received = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress!, $0.count, 0) }
            if received == 0 { throw Failure(description: "connection closed by the server") }
            if received < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { throw Failure(description: "no reply within \(timeout)") }
                throw Failure(description: "recv(): \(Self.errorText())")
            }
            input.writeBytes(chunk[0..<received])
        }
    }

    private static func closeSocket(_ descriptor: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(descriptor)
        #else
        _ = Darwin.close(descriptor)
        #endif
    }

    private static func errorText() -> String {
        String(cString: strerror(errno))
    }

    /// The command as one redis-cli line, shortened for error messages.
    static func describe(_ arguments: [[UInt8]]) -> String {
        let line = arguments.map(RedisCLIQuoting.quote).joined(separator: " ")
        return line.count > 200 ? String(line.prefix(200)) + "..." : line
    }
}
