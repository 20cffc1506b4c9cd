import SidecacheRESP

/// One slow log entry as SLOWLOG GET shows it (Redis's `slowlogEntry`): the arguments are
/// copied, cut to what Redis keeps, when the entry is made.
struct SlowLogEntry: Sendable, Equatable {
    /// Most arguments kept; the last kept one then says how many more there were.
    static let maxArguments = 32
    /// Longest argument kept, in bytes; a longer one says how many bytes were cut.
    static let maxArgumentLength = 128

    let id: Int
    /// Unix time, seconds, when the entry was made.
    let unixTime: Int64
    let microseconds: Int
    let arguments: [[UInt8]]
    /// The client's `ip:port`.
    let peer: String
    /// The client's name at the time (empty when it has none).
    let clientName: [UInt8]

    /// Redis's `slowlogCreateEntry` argument vector: at most 32 arguments, the 32nd replaced
    /// by `... (N more arguments)` when there were more; an argument longer than 128 bytes cut
    /// to 128 followed by `... (N more bytes)`; the arguments at `redacted` (passwords) shown
    /// as `(redacted)`.
    static func arguments(of frame: RESPCommandFrame, redacted: [Int] = []) -> [[UInt8]] {
        let count = frame.count
        let kept = min(count, maxArguments)
        var arguments: [[UInt8]] = []
        arguments.reserveCapacity(kept)
        for index in 0..<kept {
            if kept != count && index == kept - 1 {
                arguments.append(Array("... (\(count - kept + 1) more arguments)".utf8))
            } else if redacted.contains(index) {
                arguments.append(CommandRedaction.placeholder)
            } else if frame.length(index) > maxArgumentLength {
                let cut = frame.length(index) - maxArgumentLength
                var bytes = frame.withArgument(index) { Array($0.prefix(maxArgumentLength)) }
                bytes += Array("... (\(cut) more bytes)".utf8)
                arguments.append(bytes)
            } else {
                arguments.append(frame.bytes(index))
            }
        }
        return arguments
    }
}
