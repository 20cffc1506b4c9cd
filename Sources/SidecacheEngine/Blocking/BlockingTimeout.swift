/// The timeout argument of the blocking commands (Redis's `getTimeoutFromObjectOrReply` with
/// `UNIT_SECONDS`), shared by BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP and the sorted-set forms.
package enum BlockingTimeout {
    /// The timeout in argument `index` as milliseconds to wait (0: for ever), or `nil` after
    /// replying. The seconds are read as a `long double` (`strtold`: decimals, exponents, hex,
    /// `inf`), multiplied by 1000 and rounded up, then converted as C converts to `long long`,
    /// where x86 turns anything out of range (`inf`, 1e16 seconds) into the most negative
    /// value: so those answer "timeout is negative", as redis-server 7.0 does. A fraction
    /// below a millisecond waits one millisecond; `-0.0001` rounds to 0 and waits for ever.
    package static func parse(_ client: EngineClient, argument index: Int) -> Int64? {
        guard let seconds = client.frame.withArgument(index, { RedisLongDouble.parse($0) }) else {
            client.replyError("ERR timeout is not a float or out of range")
            return nil
        }
        let milliseconds = (seconds * 1000).rounded(.up)
        let bound = -RedisLongDouble.Value(Int64.min)
        let value = milliseconds >= -bound && milliseconds < bound ? Int64(milliseconds) : Int64.min
        guard value >= 0 else {
            client.replyError("ERR timeout is negative")
            return nil
        }
        return value
    }
}
