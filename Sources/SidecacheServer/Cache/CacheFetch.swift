import NIOCore
import SidecacheEngine
import SidecachePolicy
import SidecacheRESP
import SidecacheUpstream

/// One fetch of a key from upstream for the cache tier: `DUMP key` and `PTTL key` pipelined
/// on one connection (so every type is copied exactly, with its remaining lifetime), then
/// `CacheTier.completeFetch` with what they said.
final class CacheFetch: UpstreamReplySink {
    private let tier: CacheTier
    private let flight: FillFlights<CacheWaiter>.Flight
    private let rule: Int
    private let parser: RESPReplyParser
    private var dump: RESPValue?
    private var failure: String?
    private var replies = 0

    private init(tier: CacheTier, flight: FillFlights<CacheWaiter>.Flight, rule: Int, limits: RESPLimits) {
        self.tier = tier
        self.flight = flight
        self.rule = rule
        self.parser = RESPReplyParser(limits: limits)
    }

    /// Sends the fetch of `flight`'s key on `connection` (flushed with the session's other
    /// requests at the end of the read).
    static func start(
        _ flight: FillFlights<CacheWaiter>.Flight, rule: Int, tier: CacheTier, connection: UpstreamConnection
    ) {
        let fetch = CacheFetch(tier: tier, flight: flight, rule: rule, limits: connection.settings.replyLimits)
        let key = flight.key
        for (tag, name) in [(UInt64(0), "DUMP"), (UInt64(1), "PTTL")] {
            let frame = RESPCommandFrame([Array(name.utf8), key.key])
            if let failure = connection.send(frame, database: key.database, sink: fetch, tag: tag) {
                fetch.receiveUpstreamReply(.failure(failure), tag: tag)
            }
        }
        connection.flush()
    }

    func receiveUpstreamReply(_ reply: UpstreamReply, tag: UInt64) {
        replies += 1
        switch reply {
        case .reply(var bytes):
            do {
                guard let value = try parser.next(from: &bytes) else { throw RESPProtocolError("incomplete reply") }
                if case .simpleError(let message) = value {
                    failure = failure ?? String(buffer: message)
                } else if case .blobError(let message) = value {
                    failure = failure ?? String(buffer: message)
                } else if tag == 0 {
                    dump = value
                } else {
                    finish(ttl: value)
                }
            } catch {
                failure = failure ?? "ERR upstream reply could not be read"
            }
        case .failure(let upstreamFailure):
            failure = failure ?? upstreamFailure.message
        }
        if replies == 2, failure != nil { tier.completeFetch(flight, rule: rule, result: .failed(failure!)) }
    }

    func upstreamRepliesDelivered() {}

    private func finish(ttl: RESPValue) {
        guard failure == nil else { return }
        guard case .integer(let upstreamTTL) = ttl, upstreamTTL != -2, case .bulkString(let payload?) = dump else {
            return tier.completeFetch(flight, rule: rule, result: .missing)
        }
        let decoded = payload.withUnsafeReadableBytes { bytes in
            Result { () throws(DumpPayloadError) in try DumpPayload.decode(bytes) }
        }
        switch decoded {
        case .success(let value):
            tier.completeFetch(flight, rule: rule, result: .value(value, size: value.contentBytes, upstreamTTL: upstreamTTL))
        case .failure(let error):
            tier.completeFetch(flight, rule: rule, result: .failed("ERR upstream DUMP payload could not be read: \(error)"))
        }
    }
}
