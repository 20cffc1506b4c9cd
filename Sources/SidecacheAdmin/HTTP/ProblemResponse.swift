import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// RFC 9457 problem details for the responses made outside the generated handlers (access
/// control, unreadable requests, unknown paths): the same shape as the spec's `Problem`.
struct ProblemResponse: Encodable {
    var type = "about:blank"
    var title: String
    var status: Int
    var detail: String
    var instance: String?

    init(status: HTTPResponse.Status, detail: String, instance: String? = nil) {
        self.title = status.reasonPhrase
        self.status = status.code
        self.detail = detail
        self.instance = instance
    }

    /// The response, `application/problem+json`, with `headers` added.
    func response(headers: HTTPFields = [:]) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = (try? encoder.encode(self)) ?? Data()
        var fields = headers
        fields[.contentType] = "application/problem+json"
        return Response(
            status: .init(code: status, reasonPhrase: title), headers: fields,
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }
}
