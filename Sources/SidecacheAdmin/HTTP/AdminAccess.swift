import Hummingbird
import HTTPTypes

/// Who may do what: requests that change state need the bearer token, and so do reads when
/// `admin.token_required_for_reads` is set, and the configuration documents (they may hold
/// passwords) whenever a token is configured. `/healthz` and `/readyz` are always open. With
/// no token configured, nothing may change state through the API. Bodies over 4 MiB are refused.
struct AdminAccess<Context: RequestContext>: RouterMiddleware {
    let token: String?
    let requiredForReads: Bool
    /// Largest request body taken (a configuration document is a few kilobytes).
    static var maximumBodyBytes: Int { 4 * 1024 * 1024 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if let length = request.headers[.contentLength].flatMap(Int.init), length > Self.maximumBodyBytes {
            let detail = "the body has \(length) bytes; the admin API takes at most \(Self.maximumBodyBytes)"
            return ProblemResponse(status: .contentTooLarge, detail: detail, instance: path).response()
        }
        guard path != "/healthz" && path != "/readyz" else { return try await next(request, context) }
        let isRead = request.method == .get || request.method == .head || path == "/v1/config/validate"
        let holdsDocuments = request.method == .get && (path == "/v1/config" || path.hasPrefix("/v1/config/history/"))
        guard !isRead || requiredForReads || (holdsDocuments && token != nil) else { return try await next(request, context) }
        guard let token else {
            let detail = "no admin token is configured, so the API is read-only: set admin.token in the "
                + "configuration file, or the environment variable admin.token_env names (SIDECACHE_ADMIN_TOKEN by "
                + "default), and restart"
            return ProblemResponse(status: .forbidden, detail: detail, instance: path).response()
        }
        guard let given = request.headers[.authorization] else {
            return unauthorized("this request needs 'Authorization: Bearer <token>' (admin.token)", path)
        }
        guard Self.constantTimeEquals(Array(given.utf8), Array("Bearer \(token)".utf8)) else {
            return unauthorized("the bearer token is wrong; it must equal admin.token", path)
        }
        return try await next(request, context)
    }

    private func unauthorized(_ detail: String, _ path: String) -> Response {
        ProblemResponse(status: .unauthorized, detail: detail, instance: path)
            .response(headers: [.wwwAuthenticate: "Bearer realm=\"sidecache\""])
    }

    /// Compares without stopping at the first difference.
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
