#if canImport(Glibc)
import Glibc
#endif

/// A plain blocking TCP socket to a loopback port, for clients that must behave badly or come
/// in thousands: it reads only when told to (a subscriber that never reads), and costs one
/// descriptor and no event-loop work. Closed by `close()`; never closed twice.
final class RawSocket {
    private(set) var descriptor: Int32

    /// Connects to 127.0.0.1:`port`; `receiveBuffer` (bytes) shrinks the kernel's receive
    /// buffer first, so that a client that does not read backs the server up sooner.
    init(port: Int, receiveBuffer: Int32? = nil) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestClientError(description: "socket(): errno \(errno)") }
        if var size = receiveBuffer {
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let error = errno
            Glibc.close(descriptor)
            descriptor = -1
            throw TestClientError(description: "connect(): errno \(error)")
        }
    }

    func send(_ text: String) throws {
        var bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let written = bytes.withUnsafeMutableBytes { Glibc.send(descriptor, $0.baseAddress! + sent, $0.count - sent, 0) }
            guard written > 0 else { throw TestClientError(description: "send(): errno \(errno)") }
            sent += written
        }
    }

    func close() {
        guard descriptor >= 0 else { return }
        Glibc.close(descriptor)
        descriptor = -1
    }

    deinit { close() }
}

/// The process's open-files limit, raised towards `wanted` (up to the hard limit) when lower;
/// returns the soft limit in force afterwards.
func raiseOpenFilesLimit(to wanted: Int) -> Int {
    var limit = rlimit()
    getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    if limit.rlim_cur < rlim_t(wanted) {
        var raised = limit
        raised.rlim_cur = min(rlim_t(wanted), limit.rlim_max)
        if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
    }
    return Int(limit.rlim_cur)
}
