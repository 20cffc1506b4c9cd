#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NIOCore

/// `TCP_KEEPIDLE`: seconds of idleness before the first keepalive probe (`tcp-keepalive`).
enum TCPKeepalive {
    static let tcpLevel = NIOBSDSocket.OptionLevel(rawValue: CInt(IPPROTO_TCP))
    #if canImport(Glibc) || canImport(Musl)
    static let idleOption = NIOBSDSocket.Option(rawValue: CInt(TCP_KEEPIDLE))
    #else
    static let idleOption = NIOBSDSocket.Option(rawValue: CInt(0x10))
    #endif
}
