import NIOCore
import Testing

@testable import SidecacheRESP

// Shared helpers for the SidecacheRESP tests.

/// The bytes of `text` (UTF-8), for writing wire data in tests.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

extension ByteBuffer {
    /// The readable bytes as an array.
    var bytesArray: [UInt8] { Array(readableBytesView) }
}

extension RESPCommand {
    /// A command from text arguments.
    init(_ arguments: String...) {
        self.init(arguments: arguments.map { ByteBuffer(string: $0) })
    }

    /// A command from raw byte arguments.
    init(bytes arguments: [[UInt8]]) {
        self.init(arguments: arguments.map { ByteBuffer(bytes: $0) })
    }
}

/// A multibulk request (`*N\r\n$len\r\narg\r\n...`) for `arguments`.
func multibulk(_ arguments: [[UInt8]]) -> [UInt8] {
    var out = bytes("*\(arguments.count)\r\n")
    for argument in arguments {
        out += bytes("$\(argument.count)\r\n")
        out += argument
        out += bytes("\r\n")
    }
    return out
}

func multibulk(_ arguments: String...) -> [UInt8] {
    multibulk(arguments.map(bytes))
}

/// Frames every whole request of `input` with one parser in one call sequence and returns
/// the arguments of each; throws the parser's error.
func parseRequests(
    _ input: [UInt8],
    limits: RESPLimits = RESPLimits(),
    authenticated: Bool = true
) throws(RESPProtocolError) -> [[[UInt8]]] {
    var parser = RESPRequestParser(limits: limits)
    var buffer = ByteBuffer(bytes: input)
    var frame = RESPCommandFrame()
    var requests: [[[UInt8]]] = []
    while try parser.next(from: &buffer, into: &frame, authenticated: authenticated) {
        requests.append(frame.arguments)
    }
    return requests
}

/// The error the parser throws for `input`, or `nil` if it throws none.
func requestError(
    _ input: [UInt8],
    limits: RESPLimits = RESPLimits(),
    authenticated: Bool = true
) -> RESPProtocolError? {
    do {
        _ = try parseRequests(input, limits: limits, authenticated: authenticated)
        return nil
    } catch {
        return error
    }
}

/// SplitMix64: a small, fast, seedable generator so that randomized tests can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The seed of the randomized tests: `SIDECACHE_TEST_SEED` when set (to replay a failure or
/// to explore), else a fixed seed so that the suite is deterministic.
func testSeed(default value: UInt64) -> UInt64 {
    if let text = ProcessInfoLite.environment("SIDECACHE_TEST_SEED"), let seed = UInt64(text) { return seed }
    return value
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

enum ProcessInfoLite {
    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }
}

func randomBytes(_ count: Int, using rng: inout SeededGenerator) -> [UInt8] {
    (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
}
