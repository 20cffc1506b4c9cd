import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Kills the servers the tester started when it is interrupted (SIGINT, SIGTERM): the signal
/// handler reads their process ids from atomics (async-signal-safe), kills them and exits 130.
enum SignalCleanup {
    private static let first = Atomic<Int32>(0)
    private static let second = Atomic<Int32>(0)

    /// Records a process id to kill on SIGINT or SIGTERM (at most two).
    static func register(_ processIdentifier: Int32) {
        if first.compareExchange(expected: 0, desired: processIdentifier, ordering: .sequentiallyConsistent).exchanged { return }
        second.store(processIdentifier, ordering: .sequentiallyConsistent)
    }

    /// Installs the handler for SIGINT and SIGTERM.
    static func install() {
        let handler: @convention(c) (Int32) -> Void = { _ in
            let first = SignalCleanup.first.load(ordering: .sequentiallyConsistent)
            let second = SignalCleanup.second.load(ordering: .sequentiallyConsistent)
            if first > 0 { kill(first, SIGKILL) }
            if second > 0 { kill(second, SIGKILL) }
            _exit(130)
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
    }
}
