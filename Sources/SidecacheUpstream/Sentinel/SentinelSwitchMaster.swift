/// A sentinel's `+switch-master` message: `<master-name> <old-ip> <old-port> <new-ip> <new-port>`,
/// published when a failover has made another node the primary.
struct SentinelSwitchMaster: Equatable {
    var masterName: String
    var old: UpstreamAddress
    var new: UpstreamAddress

    /// The channel the message is published on.
    static let channel = "+switch-master"

    /// `nil` when `payload` is not five fields with numeric ports.
    init?(payload: String) {
        let fields = payload.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 5,
            let oldPort = Int(fields[2]), (1...65535).contains(oldPort),
            let newPort = Int(fields[4]), (1...65535).contains(newPort)
        else { return nil }
        masterName = String(fields[0])
        old = UpstreamAddress(host: String(fields[1]), port: oldPort)
        new = UpstreamAddress(host: String(fields[3]), port: newPort)
    }
}
