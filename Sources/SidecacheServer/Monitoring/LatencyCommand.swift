import NIOCore
import SidecacheEngine
import SidecacheRESP

/// LATENCY LATEST, HISTORY, RESET, DOCTOR, GRAPH and HELP (Redis 7.0's `latencyCommand`;
/// HISTOGRAM is not implemented: Sidecache keeps no per-command latency histograms).
enum LatencyCommand {
    static let handlers: [(String, ServerContext.Handler)] = [
        ("latency|latest", latest), ("latency|history", history), ("latency|reset", reset),
        ("latency|doctor", doctor), ("latency|graph", graph), ("latency|help", help),
    ]

    /// Per event: `[name, unix time of the latest sample, its latency, worst of all time]`.
    static func latest(_ session: ClientSession) {
        let events = session.server.monitoring.latency.allEvents
        session.out.writeRESPArrayHeader(events.count)
        for event in events {
            let last = event.series.last
            session.out.writeRESPArrayHeader(4)
            session.out.writeRESPBulkString(event.name)
            session.out.writeRESPInteger(Int(last.time))
            session.out.writeRESPInteger(last.latency)
            session.out.writeRESPInteger(event.series.max)
        }
    }

    /// LATENCY HISTORY event: `[unix time, latency]` per sample, oldest first; empty for an
    /// event never seen.
    static func history(_ session: ClientSession) {
        let samples = session.server.monitoring.latency.series(session.frame.string(2))?.chronological ?? []
        session.out.writeRESPArrayHeader(samples.count)
        for sample in samples {
            session.out.writeRESPArrayHeader(2)
            session.out.writeRESPInteger(Int(sample.time))
            session.out.writeRESPInteger(sample.latency)
        }
    }

    /// LATENCY RESET [event ...]: the number of events forgotten.
    static func reset(_ session: ClientSession) {
        let frame = session.frame
        let names = frame.count == 2 ? nil : (2..<frame.count).map { frame.string($0) }
        session.out.writeRESPInteger(session.server.monitoring.latency.reset(names))
    }

    static func doctor(_ session: ClientSession) {
        let report = session.server.monitoring.latency.report(
            slowlogLogSlowerThan: session.server.monitoring.slowLog.logSlowerThan,
            anonymousHugePages: LatencyMonitor.anonymousHugePages(),
            now: unixSeconds
        )
        session.out.writeRESPVerbatimString(Array(report.utf8), session.protocolVersion)
    }

    static func graph(_ session: ClientSession) {
        let event = session.frame.string(2)
        guard let series = session.server.monitoring.latency.series(event) else {
            return session.client.replyError(
                bytes: Array("ERR No samples available for event '".utf8) + session.frame.bytes(2) + Array("'".utf8)
            )
        }
        let graph = LatencyMonitor.graph(event, series, now: unixSeconds)
        session.out.writeRESPVerbatimString(Array(graph.utf8), session.protocolVersion)
    }

    static func help(_ session: ClientSession) {
        session.client.replyHelp(
            command: "LATENCY",
            lines: [
                "DOCTOR",
                "    Return a human readable latency analysis report.",
                "GRAPH <event>",
                "    Return an ASCII latency graph for the <event> class.",
                "HISTORY <event>",
                "    Return time-latency samples for the <event> class.",
                "LATEST",
                "    Return the latest latency samples for all events.",
                "RESET [<event> ...]",
                "    Reset latency data of one or more <event> classes.",
                "    (default: reset all data for all event classes)",
            ]
        )
    }

    private static var unixSeconds: Int64 { Clocks.wallMicroseconds() / 1_000_000 }
}
