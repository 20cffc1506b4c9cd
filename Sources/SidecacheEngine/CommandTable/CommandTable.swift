import SidecacheRESP

/// Every command of the reference redis-server with its metadata (generated from Redis's own
/// command table by `scripts/gen-command-table.py`). The dispatcher, COMMAND, the cache
/// policy and the slot router all read this one table. Which commands Sidecache actually
/// executes is the dispatcher's business; the table only describes them.
public final class CommandTable: Sendable {
    /// The table of the reference Redis version with the module commands Sidecache also
    /// implements (RedisBloom's `BF.*`), parsed once.
    public static let redis = CommandTable(records: redisCommandData + moduleCommandData)

    /// Top-level commands that answer to some name, sorted by (original) name.
    public let commands: [CommandSpec]
    /// Every command and subcommand, indexed by `CommandSpec.id`.
    public let all: [CommandSpec]
    /// The Redis version the metadata comes from.
    public let referenceVersion = redisCommandDataVersion
    /// Whether some command answers to another name than its own (`renaming`).
    public let hasRenames: Bool
    private let slots: [Int32]
    /// The lowercase name each slot answers to.
    private let slotNames: [[UInt8]]
    private let slotMask: Int

    convenience init(records: [String]) {
        var specs: [CommandSpec] = []
        var nextID = 0
        for record in records {
            let pair = CommandMetaReader.parse(record).elements
            let spec = CommandSpec(info: pair[0], docs: pair[1], id: nextID, idAllocator: &nextID)
            nextID += 1
            specs.append(spec)
        }
        var flat: [CommandSpec?] = Array(repeating: nil, count: nextID)
        for spec in specs {
            flat[spec.id] = spec
            for sub in spec.subcommands { flat[sub.id] = sub }
        }
        self.init(all: flat.map { $0! }, names: specs.map { ($0.lookupName, $0) }, hasRenames: false)
    }

    private init(all: [CommandSpec], names: [(name: [UInt8], spec: CommandSpec)], hasRenames: Bool) {
        self.all = all
        self.hasRenames = hasRenames
        commands = names.map(\.spec).sorted { $0.name < $1.name }
        // Open addressing on a table at least 4 times the command count: short probes.
        var size = 1
        while size < names.count * 4 { size <<= 1 }
        var table = [Int32](repeating: -1, count: size)
        var tableNames = [[UInt8]](repeating: [], count: size)
        for (name, spec) in names {
            var slot = name.withUnsafeBytes { Self.hashIgnoringCase($0) } & (size - 1)
            while table[slot] >= 0 { slot = (slot + 1) & (size - 1) }
            table[slot] = Int32(spec.id)
            tableNames[slot] = name
        }
        slots = table
        slotNames = tableNames
        slotMask = size - 1
    }

    /// This table with redis.conf's `rename-command` applied in order: each command answers
    /// to its new name only, or to none when the new name is empty. The specs (names,
    /// metadata, ids) stay those of the original command, as in Redis, where COMMAND INFO
    /// and error messages keep showing the original name.
    public func renaming(_ renames: [(command: String, newName: String)]) throws(CommandRenameError) -> CommandTable {
        guard !renames.isEmpty else { return self }
        var names: [(name: [UInt8], spec: CommandSpec)] = []
        for slot in slots.indices where slots[slot] >= 0 { names.append((slotNames[slot], all[Int(slots[slot])])) }
        for (command, newName) in renames {
            let old = Array(command.utf8).map(ASCII.lowercased)
            guard let position = names.firstIndex(where: { $0.name == old }) else {
                throw CommandRenameError(command: command, reason: "No such command in rename-command")
            }
            let spec = names.remove(at: position).spec
            guard !newName.isEmpty else { continue }
            let new = Array(newName.utf8).map(ASCII.lowercased)
            guard !names.contains(where: { $0.name == new }) else {
                throw CommandRenameError(command: command, reason: "Target command name already exists")
            }
            names.append((new, spec))
        }
        return CommandTable(all: all, names: names, hasRenames: true)
    }

    /// The top-level command named by `name`, ignoring ASCII case; allocation-free.
    @inline(__always)
    public func lookup(_ name: UnsafeRawBufferPointer) -> CommandSpec? {
        var slot = Self.hashIgnoringCase(name) & slotMask
        while true {
            let id = slots[slot]
            if id < 0 { return nil }
            if Self.equalsIgnoringCase(slotNames[slot], name) { return all[Int(id)] }
            slot = (slot + 1) & slotMask
        }
    }

    /// The command or `container|sub` subcommand with this full name.
    public func spec(named name: String) -> CommandSpec? {
        let parts = name.lowercased().split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
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

/// A `rename-command` that cannot be applied, with Redis's reason.
public struct CommandRenameError: Error, Sendable, CustomStringConvertible {
    public let command: String
    public let reason: String

    public var description: String { "rename_commands: '\(command)': \(reason)" }
}
