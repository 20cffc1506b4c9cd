import NIOSSL
import SidecacheConfig
import SidecacheTLS
import SidecacheUpstream

/// The TLS contexts of a server, built once from its configuration: the TLS RESP listener's
/// and the upstream connections'. A context that cannot be built (a missing certificate, a key
/// that does not match) is kept as `problem`, which `SidecacheServer.start()` throws.
struct ServerTLS: Sendable {
    /// The TLS RESP listener's context; nil when no TLS port is configured.
    let listener: NIOSSLContext?
    /// TLS on every upstream connection; nil when `upstream.tls.enabled` is off.
    let upstream: UpstreamTLS?
    let problem: TLSSetupError?

    init(_ configuration: SidecacheConfiguration) {
        var problem: TLSSetupError?
        do {
            listener = configuration.tls.isListening ? try TLSContextFactory.listenerContext(configuration.tls) : nil
        } catch {
            (listener, problem) = (nil, error)
        }
        do {
            upstream = try TLSContextFactory.upstreamContext(configuration.upstream.tls).map {
                UpstreamTLS(context: $0, serverName: configuration.upstream.tls.serverName)
            }
        } catch {
            (upstream, problem) = (nil, problem ?? error)
        }
        self.problem = problem
    }
}
