public import NIOCore

/// A Redis Cluster redirect error: `-MOVED <slot> <endpoint>:<port>` (the slot lives on
/// another node now: update the map and retry there) or `-ASK <slot> <endpoint>:<port>` (the
/// slot is being migrated: send ASKING and then the command to that node, once; the map stays).
public enum ClusterRedirect: Sendable, Hashable {
    case moved(slot: Int, address: UpstreamAddress)
    case ask(slot: Int, address: UpstreamAddress)

    public var slot: Int {
        switch self {
        case .moved(let slot, _), .ask(let slot, _): slot
        }
    }

    public var address: UpstreamAddress {
        switch self {
        case .moved(_, let address), .ask(_, let address): address
        }
    }

    /// Reads an error reply's line: with or without its leading `-` and trailing CRLF.
    ///
    /// The endpoint is an IP address (an IPv6 one without brackets, as Redis writes it: the
    /// port follows the last `:`), a host name, or empty (`-MOVED 3999 :6380`): the node's
    /// endpoint is unknown and, as the Redis 7 documentation says, the client uses the host it
    /// sent the command to, `sentTo`, with the given port.
    ///
    /// `nil` when the line is no redirect, is malformed (slot outside 0-16383, bad port), or
    /// names the endpoint `?` (a host name is preferred but the node has none): such a
    /// redirect cannot be followed, and the caller answers it as an error and refreshes its map.
    public static func parse(errorLine line: UnsafeRawBufferPointer, sentTo: UpstreamAddress) -> ClusterRedirect? {
        var bytes = line[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        while let last = bytes.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: "\n") { bytes = bytes.dropLast() }

        let isMoved: Bool
        if bytes.starts(with: "MOVED ".utf8) {
            isMoved = true
            bytes = bytes.dropFirst(6)
        } else if bytes.starts(with: "ASK ".utf8) {
            isMoved = false
            bytes = bytes.dropFirst(4)
        } else {
            return nil
        }
        guard let space = bytes.firstIndex(of: UInt8(ascii: " ")),
            let slot = decimal(bytes[..<space]), slot < ClusterKeySlot.count
        else { return nil }
        let target = bytes[(space + 1)...]
        guard let colon = target.lastIndex(of: UInt8(ascii: ":")),
            let port = decimal(target[(colon + 1)...]), (1...65535).contains(port)
        else { return nil }
        var hostBytes = target[..<colon]
        // "[::1]:6380", should a server ever bracket an IPv6 address.
        if hostBytes.first == UInt8(ascii: "["), hostBytes.last == UInt8(ascii: "]") {
            hostBytes = hostBytes.dropFirst().dropLast()
        }
        guard !hostBytes.contains(UInt8(ascii: " ")) else { return nil }
        let host = hostBytes.isEmpty ? sentTo.host : String(decoding: hostBytes, as: UTF8.self)
        guard host != "?" else { return nil }
        let address = UpstreamAddress(host: host, port: port)
        return isMoved ? .moved(slot: slot, address: address) : .ask(slot: slot, address: address)
    }

    /// Reads the readable bytes of an error reply (`-MOVED ...\r\n`).
    public static func parse(errorLine line: ByteBuffer, sentTo: UpstreamAddress) -> ClusterRedirect? {
        line.withUnsafeReadableBytes { parse(errorLine: $0, sentTo: sentTo) }
    }

    /// Reads an error reply's text.
    public static func parse(errorLine line: String, sentTo: UpstreamAddress) -> ClusterRedirect? {
        var line = line
        return line.withUTF8 { parse(errorLine: UnsafeRawBufferPointer($0), sentTo: sentTo) }
    }

    /// A run of 1 to 9 ASCII digits as a number.
    private static func decimal(_ digits: Slice<UnsafeRawBufferPointer>) -> Int? {
        guard (1...9).contains(digits.count) else { return nil }
        var value = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return value
    }
}
