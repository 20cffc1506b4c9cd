import Foundation
import SidecacheRESP
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A server process the tester starts itself on a free loopback port (redis-server, or the
/// sidecache binary), and stops with `stop()`; `deinit` kills it too, so that no process
/// outlives its owner.
public final class ManagedServer: Sendable {
    public let name: String
    public let port: Int
    /// The process id, for a signal handler that must kill it without touching this object.
    public let processIdentifier: Int32
    private let process: SendableProcess
    private let logPath: String
    private let stopped = Mutex(false)

    /// `Process` is not `Sendable`; it is only touched here, under `stopped`'s lock or before
    /// the object is shared.
    private struct SendableProcess: @unchecked Sendable {
        let process: Process
    }

    private init(name: String, port: Int, process: Process, logPath: String) {
        self.name = name
        self.port = port
        self.process = SendableProcess(process: process)
        self.processIdentifier = process.processIdentifier
        self.logPath = logPath
    }

    deinit {
        stop()
    }

    /// The endpoint to hand to the runner.
    public func endpoint(replyTransform: DifftestEndpoint.ReplyTransform? = nil) -> DifftestEndpoint {
        DifftestEndpoint(name: name, host: "127.0.0.1", port: port, replyTransform: replyTransform)
    }

    /// `redis-server` (found on PATH unless `executable` is a path) on a free loopback port,
    /// with nothing persisted (`--save "" --appendonly no`) and `extraArguments` appended (for
    /// example `["--hash-max-listpack-entries", "0"]`). Returns once it answers PING.
    public static func startRedis(
        name: String = "redis", executable: String = "redis-server", extraArguments: [String] = []
    ) throws(DifftestError) -> ManagedServer {
        let path = try resolve(executable)
        return try start(name: name, executable: path) { port in
            [
                "--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--loglevel", "warning", "--dir", NSTemporaryDirectory(),
            ] + extraArguments
        }
    }

    /// The sidecache executable at `binary` on a free loopback port. Returns once it answers PING.
    public static func startSidecache(name: String = "sidecache", binary: String) throws(DifftestError) -> ManagedServer {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw .setup("\(binary) is not an executable (build it with `swift build --product sidecache`, or pass --sidecache-bin)")
        }
        return try start(name: name, executable: binary) { port in ["--port", "\(port)", "--bind", "127.0.0.1"] }
    }

    /// Starts `executable` with `arguments(port)` on a free port and waits up to 10 s for PING;
    /// tries three ports (another process may take a free port before the server binds it).
    private static func start(name: String, executable: String, arguments: (Int) -> [String]) throws(DifftestError) -> ManagedServer {
        var failure = "did not start"
        for _ in 0..<3 {
            let port = try freePort()
            let logPath = NSTemporaryDirectory() + "sidecache-difftest-\(name)-\(port)-\(getpid()).log"
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments(port)
            process.standardInput = FileHandle.nullDevice
            let log = FileHandle(forWritingAtPath: logPath) ?? FileHandle.nullDevice
            process.standardOutput = log
            process.standardError = log
            do {
                try process.run()
            } catch {
                throw .setup("cannot start \(executable): \(error)")
            }
            let server = ManagedServer(name: name, port: port, process: process, logPath: logPath)
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline && process.isRunning {
                if let connection = try? DifftestConnection(endpoint: server.endpoint(), timeout: .seconds(2)),
                    (try? connection.command([Array("PING".utf8)])) == .simple("PONG")
                {
                    return server
                }
                LockstepReplayer.sleep(milliseconds: 20)
            }
            failure = "\(executable) on port \(port) did not answer PING within 10 s" + server.logTail()
            server.stop()
        }
        throw .setup(failure)
    }

    /// Kills the process and waits (up to 5 s) until Foundation has seen it exit; idempotent.
    /// SIGKILL rather than SIGTERM: nothing is persisted, and a child of a test runner may
    /// inherit a blocked SIGTERM. Polls `isRunning` rather than calling `waitUntilExit()`,
    /// which can miss the exit and block forever when several processes end at once (seen
    /// in the test suite: a 20-minute hang until a debugger attached and woke its run loop).
    public func stop() {
        let process = self.process.process
        let alreadyStopped = stopped.withLock { stopped in
            defer { stopped = true }
            return stopped
        }
        guard !alreadyStopped else { return }
        if process.isRunning { kill(processIdentifier, SIGKILL) }
        process.waitForExit()
        try? FileManager.default.removeItem(atPath: logPath)
    }

    /// The last lines the server logged, for set-up error messages.
    private func logTail() -> String {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8), !text.isEmpty else { return "" }
        return "; its last output:\n" + text.split(separator: "\n").suffix(10).joined(separator: "\n")
    }

    /// The full path of `executable`: itself when it contains a slash, else found on PATH.
    private static func resolve(_ executable: String) throws(DifftestError) -> String {
        if executable.contains("/") { return executable }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") + ["/usr/bin", "/usr/local/bin"] {
            let candidate = "\(directory)/\(executable)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw .setup("\(executable) not found on PATH (install redis-server, or pass --redis HOST:PORT)")
    }

    /// A loopback port that was free a moment ago (bound to port 0, then closed).
    public static func freePort() throws(DifftestError) -> Int {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw .setup("socket(): \(String(cString: strerror(errno)))") }
        defer { _ = close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(descriptor, address, length) == 0 && getsockname(descriptor, address, &length) == 0
            }
        }
        guard bound else { throw .setup("cannot find a free loopback port: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
