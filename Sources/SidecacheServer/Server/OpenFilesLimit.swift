#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The process's open-files limit as `maxclients` needs it (Redis's `adjustOpenFilesLimit`):
/// every client is a descriptor, plus a few kept for listeners, upstream connections and files.
public enum OpenFilesLimit {
    /// Descriptors kept for other uses than clients (Redis's `CONFIG_MIN_RESERVED_FDS`).
    public static let reserved = 32

    public struct Adjustment: Sendable {
        /// The soft limit before and after.
        public let previous: Int
        public let current: Int
        /// The most clients the limit allows: `maxClients` when it could be raised far enough.
        public let maxClients: Int
    }

    /// Raises the soft limit (and the hard one, where the process may) to `maxClients +
    /// reserved` when it is lower; never lowers it. Returns what the limit allows then.
    public static func adjust(forMaxClients maxClients: Int) -> Adjustment {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else {
            return Adjustment(previous: 0, current: 0, maxClients: maxClients)
        }
        let previous = Int(clamping: limit.rlim_cur)
        let wanted = maxClients > Int.max - reserved ? Int.max : maxClients + reserved
        guard previous < wanted else {
            return Adjustment(previous: previous, current: previous, maxClients: maxClients)
        }
        var raised = rlimit(rlim_cur: rlim_t(wanted), rlim_max: max(limit.rlim_max, rlim_t(wanted)))
        if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) != 0 {
            // Without the right to raise the hard limit, up to it.
            raised = rlimit(rlim_cur: min(limit.rlim_max, rlim_t(wanted)), rlim_max: limit.rlim_max)
            if raised.rlim_cur <= limit.rlim_cur || setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) != 0 {
                raised = limit
            }
        }
        let current = Int(clamping: raised.rlim_cur)
        return Adjustment(previous: previous, current: current, maxClients: min(maxClients, max(1, current - reserved)))
    }
}
