extension UpstreamNodeHealth {
    /// While the node is ejected, the uptime (NIODeadline) nanoseconds at which its next probe
    /// is due; nil while it is in service.
    public var ejectedUntilUptimeNanoseconds: UInt64? {
        let until = ejectedUntil.load(ordering: .relaxed)
        return until == 0 ? nil : until
    }
}
