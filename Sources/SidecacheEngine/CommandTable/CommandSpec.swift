public import SidecacheRESP

/// One command of the command table: what the dispatcher checks (arity), what COMMAND
/// replies, what the cache policy and the slot router read (flags, keys).
public final class CommandSpec: Sendable {
    /// Full lowercase name; `container|sub` for subcommands.
    public let name: String
    /// The name as the client types it for lookup: the subcommand part alone for subcommands.
    public let lookupName: [UInt8]
    /// Redis arity: positive is exact, negative is a minimum (`-N` means at least N).
    public let arity: Int
    public let flags: CommandFlags
    public let firstKey: Int
    public let lastKey: Int
    public let keyStep: Int
    public let categories: ACLCategories
    public let keySpecs: [KeySpec]
    public let subcommands: [CommandSpec]
    /// `COMMAND INFO` entry and `COMMAND DOCS` entry, exactly as redis-server gives them.
    public let info: CommandMeta
    public let docs: CommandMeta
    /// The command's group in the docs (`string`, `connection`, `server`, ...).
    public let group: String
    /// Position in `CommandTable.all`, for per-command arrays (handlers, statistics).
    public let id: Int

    init(info: CommandMeta, docs: CommandMeta, id: Int, idAllocator: inout Int) {
        let fields = info.elements
        self.info = info
        self.docs = docs
        self.id = id
        name = fields[0].text ?? ""
        lookupName = Array((name.split(separator: "|").last.map(String.init) ?? name).utf8)
        arity = fields[1].intValue ?? 0
        flags = fields[2].elements.reduce(into: CommandFlags()) { flags, node in
            if let text = node.text, let flag = CommandFlags.byName[text] { flags.insert(flag) }
        }
        firstKey = fields[3].intValue ?? 0
        lastKey = fields[4].intValue ?? 0
        keyStep = fields[5].intValue ?? 0
        categories = fields[6].elements.reduce(into: ACLCategories()) { categories, node in
            if let text = node.text, let category = ACLCategories(name: String(text.dropFirst())) {
                categories.insert(category)
            }
        }
        keySpecs = fields[8].elements.map(KeySpec.init(meta:))
        group = docs["group"]?.text ?? ""
        let subcommandDocs = docs["subcommands"]
        subcommands = fields[9].elements.map { subInfo in
            idAllocator += 1
            let subName = subInfo.elements.first?.text ?? ""
            return CommandSpec(
                info: subInfo,
                docs: subcommandDocs?[subName] ?? .map([]),
                id: idAllocator,
                idAllocator: &idAllocator
            )
        }
    }

    /// Whether `argumentCount` arguments (the name included) satisfy the arity.
    @inlinable
    public func acceptsArgumentCount(_ argumentCount: Int) -> Bool {
        arity > 0 ? argumentCount == arity : argumentCount >= -arity
    }

    public var isContainer: Bool { !subcommands.isEmpty }

    /// The subcommand named by `bytes`, ignoring ASCII case.
    public func subcommand(_ bytes: UnsafeRawBufferPointer) -> CommandSpec? {
        subcommands.first { CommandTable.equalsIgnoringCase($0.lookupName, bytes) }
    }

    /// Positions of the keys in `arguments` (the command name at 0), from the key specs as
    /// Redis's `getKeysUsingKeySpecs` finds them; `nil` when a spec cannot be applied.
    public func keyPositions(in frame: RESPCommandFrame, argumentOffset: Int = 0) -> [Int]? {
        keyReferences(in: frame, argumentOffset: argumentOffset)?.map(\.position)
    }

    /// `keyPositions`, each with the index in `keySpecs` of the spec that found it (whose
    /// flags say how the key is used: ACL key permissions read them).
    public func keyReferences(in frame: RESPCommandFrame, argumentOffset: Int = 0) -> [(position: Int, spec: Int)]? {
        let argumentCount = frame.count - argumentOffset
        var positions: [(position: Int, spec: Int)] = []
        for (specIndex, spec) in keySpecs.enumerated() {
            var first = 0
            switch spec.beginSearch {
            case .index(let index):
                first = index
            case .keyword(let keyword, let startFrom):
                let start = startFrom > 0 ? startFrom : argumentCount + startFrom
                let end = startFrom > 0 ? argumentCount - 1 : 1
                var index = start
                while index >= 1 && index < argumentCount {
                    if frame.string(index + argumentOffset).lowercased() == keyword.lowercased() {
                        first = index + 1
                        break
                    }
                    if index == end { break }
                    index += start <= end ? 1 : -1
                }
                if first == 0 { continue }
            case .unknown:
                return nil
            }
            var last = 0
            var step = 1
            switch spec.findKeys {
            case .range(let lastKey, let keyStep, let limit):
                if lastKey >= 0 {
                    last = first + lastKey
                } else if limit == 0 {
                    last = argumentCount + lastKey
                } else {
                    last = first + ((argumentCount - first) / limit + lastKey)
                }
                step = keyStep
            case .keyNumber(let keyNumberIndex, let firstKey, let keyStep):
                guard first + keyNumberIndex < argumentCount,
                    let count = frame.integer(first + keyNumberIndex + argumentOffset), count >= 0
                else { return nil }
                first += firstKey
                last = first + Int(count) - 1
                step = keyStep
            case .unknown:
                return nil
            }
            guard step > 0 else { continue }
            var index = first
            while index <= last {
                if index < argumentCount { positions.append((index, specIndex)) }
                index += step
            }
        }
        return positions
    }
}
