import SidecacheConfig

/// The problem details the operations return, with messages a person can act on.
enum Problems {
    static func problem(_ status: Int, _ title: String, _ detail: String, problems: [Components.Schemas.ConfigProblem]? = nil)
        -> Components.Schemas.Problem
    {
        Components.Schemas.Problem(_type: "about:blank", title: title, status: status, detail: detail, problems: problems)
    }

    static func badRequest(_ detail: String) -> Components.Responses.BadRequest {
        .init(body: .applicationProblemJson(problem(400, "Bad Request", detail)))
    }

    static func notFound(_ detail: String) -> Components.Responses.NotFound {
        .init(body: .applicationProblemJson(problem(404, "Not Found", detail)))
    }

    static func unknownVersion(_ version: Int) -> String {
        "no configuration version \(version); GET /v1/config/history lists the recorded versions"
    }

    /// 422 with every problem of the document.
    static func invalid(_ error: ConfigurationError) -> Components.Responses.InvalidConfig {
        let count = error.problems.count
        let detail = count == 1
            ? "the configuration is invalid: \(error.problems[0]); nothing was changed"
            : "the configuration has \(count) problems (listed in 'problems'); nothing was changed"
        return .init(body: .applicationProblemJson(problem(422, "Invalid Configuration", detail, problems: error.problems.map(item))))
    }

    static func item(_ problem: ConfigurationProblem) -> Components.Schemas.ConfigProblem {
        Components.Schemas.ConfigProblem(path: problem.path, message: problem.message, line: problem.line, column: problem.column)
    }
}
