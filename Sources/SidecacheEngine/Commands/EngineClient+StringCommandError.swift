extension EngineClient {
    /// Replies with a string command's error, its text as redis-server words it.
    func replyError(_ error: StringCommandError) {
        replyError(error.message)
    }

    /// The result of `parse`, or `nil` after replying with the error it threw: the argument
    /// parsers of `Strings/` report Redis's error texts through `StringCommandError`.
    func parsing<T>(_ parse: () throws(StringCommandError) -> T) -> T? {
        do throws(StringCommandError) {
            return try parse()
        } catch {
            replyError(error)
            return nil
        }
    }
}
