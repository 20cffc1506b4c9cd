import Hummingbird
import Logging
import NIOCore
import OpenAPIHummingbird
import SidecacheConfig

/// The Hummingbird application that serves the admin API: the generated routes behind the
/// problem-details and access-control middlewares.
enum AdminApplication {
    static func make(
        api: AdminAPI, listen: AdminListenAddress, token: String?, tokenRequiredForReads: Bool, logger: Logger,
        onListening: @escaping @Sendable (Int) -> Void
    ) -> some ApplicationProtocol {
        let router = Router()
        router.add(middleware: ProblemMiddleware(logger: logger))
        router.add(middleware: AdminAccess(token: token, requiredForReads: tokenRequiredForReads))
        router.add(middleware: MetricsMiddleware())
        // The generated code registers every operation of openapi/admin.yaml; only a spec
        // with a bad server URL could make this throw, and the URL is fixed.
        try! api.registerHandlers(on: router)
        return Application(
            router: router,
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "sidecache-admin"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? listen.port) },
            logger: logger
        )
    }
}
