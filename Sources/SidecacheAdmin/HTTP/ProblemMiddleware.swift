import Hummingbird
import HTTPTypes
import Logging
import Foundation
import OpenAPIRuntime

/// Turns every error that reaches it into an `application/problem+json` response: requests
/// the generated code cannot read (bad JSON, a parameter of the wrong type) become 400 with
/// the reason, unknown paths 404, anything else 500 (and a log line).
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ServerError {
            if error.httpStatus.kind == .serverError {
                logger.error("admin API \(request.method) \(request.uri.path) failed: \(error.underlyingError)")
                return ProblemResponse(status: error.httpStatus, detail: "internal error: \(error.underlyingError)").response()
            }
            let detail =
                error.underlyingError is DecodingError
                ? "the request cannot be read: \(Self.describe(error.underlyingError))"
                : "\(error.causeDescription) (\(error.underlyingError))"
            return ProblemResponse(status: error.httpStatus, detail: detail, instance: request.uri.path).response()
        } catch let error as HTTPError {
            let detail =
                error.status == .notFound
                ? "no such endpoint: \(request.method) \(request.uri.path); the API is described in openapi/admin.yaml"
                : error.body ?? error.status.reasonPhrase
            return ProblemResponse(status: error.status, detail: detail, instance: request.uri.path).response()
        } catch {
            logger.error("admin API \(request.method) \(request.uri.path) failed: \(error)")
            return ProblemResponse(status: .internalServerError, detail: "internal error: \(error)").response()
        }
    }

    /// A decoding error as a person reads it: what was wrong and where.
    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context):
            return "the body is not valid JSON (\(context.debugDescription))" + where_(context)
        case DecodingError.keyNotFound(let key, let context):
            return "'\(key.stringValue)' is missing" + where_(context)
        case DecodingError.typeMismatch(let type, let context), DecodingError.valueNotFound(let type, let context):
            return "expected \(type)" + where_(context) + " (\(context.debugDescription))"
        default:
            return "\(error)"
        }
    }

    private static func where_(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map(\.stringValue).joined(separator: ".")
        return path.isEmpty ? "" : " at '\(path)'"
    }
}
