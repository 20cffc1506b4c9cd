import SidecacheRESP

/// Every command of the reference redis-server with its metadata (generated from Redis's own
/// command table by `scripts/gen-command-table.py`). The dispatcher, COMMAND, the cache
/// policy and the slot router all read this one table. Which commands Sidecache actually
/// executes is the dispatcher's business; the table only describes them.
public final class CommandTable: Sendable {
    /// The table of the reference Redis version with the module commands Sidecache also
    /// implements (RedisBloom's `BF.*`), parsed once.
    public static let redis = CommandTable(records: redisCommandData + moduleCommandData)

    /// Top-level commands, sorted by name.
    public let commands: [CommandSpec]
    /// Every command and subcommand, indexed by `CommandSpec.id`.
    public let all: [CommandSpec]
    /// The Redis version the metadata comes from.
    public let referenceVersion = redisCommandDataVersion
    private let slots: [Int32]
    private let slotMask: Int

    init(records: [String]) {
        var specs: [CommandSpec] = []
        var nextID = 0
        for record in records {
            let pair = CommandMetaReader.parse(record).elements
            let spec = CommandSpec(info: pair[0], docs: pair[1], id: nextID, idAllocator: &nextID)
            nextID += 1
            specs.append(spec)
        }
        commands = specs.sorted { $0.name < $1.name }
        var flat: [CommandSpec?] = Array(repeating: nil, count: nextID)
        for spec in specs {
            flat[spec.id] = spec
            for sub in spec.subcommands { flat[sub.id] = sub }
        }
        all = flat.map { $0! }
        // Open addressing on a table at least 4 times the command count: short probes.
        var size = 1
        while size < specs.count * 4 { size <<= 1 }
        var table = [Int32](repeating: -1, count: size)
        for spec in specs {
            var slot = spec.lookupName.withUnsafeBytes { Self.hashIgnoringCase($0) } & (size - 1)
            while table[slot] >= 0 { slot = (slot + 1) & (size - 1) }
            table[slot] = Int32(spec.id)
        }
        slots = table
        slotMask = size - 1
    }

    /// The top-level command named by `name`, ignoring ASCII case; allocation-free.
    @inline(__always)
    public func lookup(_ name: UnsafeRawBufferPointer) -> CommandSpec? {
        var slot = Self.hashIgnoringCase(name) & slotMask
        while true {
            let id = slots[slot]
            if id < 0 { return nil }
            let spec = all[Int(id)]
            if Self.equalsIgnoringCase(spec.lookupName, name) { return spec }
            slot = (slot + 1) & slotMask
        }
    }

    /// The command or `container|sub` subcommand with this full name.
    public func spec(named name: String) -> CommandSpec? {
        let parts = name.lowercased().split(separator: "|", maxSplits: 1).map(String.init)
        guard let top = Array(parts[0].utf8).withUnsafeBytes({ lookup($0) }) else { return nil }
        guard parts.count == 2 else { return top }
        return Array(parts[1].utf8).withUnsafeBytes { top.subcommand($0) }
    }

    @inline(__always)
    static func hashIgnoringCase(_ bytes: UnsafeRawBufferPointer) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(ASCII.lowercased(byte))) &* 0x100_0000_01b3
        }
        return Int(truncatingIfNeeded: hash ^ (hash >> 29))
    }

    @inline(__always)
    static func equalsIgnoringCase(_ lowercase: [UInt8], _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard lowercase.count == bytes.count else { return false }
        for index in 0..<bytes.count where ASCII.lowercased(bytes[index]) != lowercase[index] {
            return false
        }
        return true
    }
}
