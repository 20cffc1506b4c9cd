/// Reads a type byte and value body in every encoding Redis 7.0–7.4 (RDB 10–12) and the
/// older versions they still load may put in a DUMP payload, for strings, lists, sets, hashes
/// and sorted sets. Streams, modules and 7.4 hashes with field expiry are refused.
///
/// Beyond what `rdbLoadObject` checks by default it always validates deeply: listpacks,
/// ziplists and intsets entry by entry, no duplicate set members, hash fields or sorted-set
/// members, no NaN score, pairs complete. Empty collections are refused, as Redis 7.0 does.
enum DumpValueDecoder {
    static func read(from reader: inout RDBReader) throws(DumpPayloadError) -> DumpValue {
        let typeByte = try reader.readByte()
        guard let type = RDBType(rawValue: typeByte) else { throw .badData("unknown type \(typeByte)") }
        switch type {
        case .string:
            return .string(try reader.readString())
        case .list:
            let count = try reader.readCount(minimumItemSize: 1)
            var elements: [[UInt8]] = []
            elements.reserveCapacity(count)
            for _ in 0..<count { elements.append(try reader.readString()) }
            return .list(try nonEmpty(elements))
        case .listZiplist:
            return .list(try nonEmpty(try ZiplistReader.entries(try reader.readString()).map(\.bytes)))
        case .listQuicklist, .listQuicklist2:
            return .list(try readQuicklist(from: &reader, hasContainers: type == .listQuicklist2))
        case .set:
            let count = try reader.readCount(minimumItemSize: 1)
            var members: [[UInt8]] = []
            members.reserveCapacity(count)
            for _ in 0..<count { members.append(try reader.readString()) }
            return .set(try unique(try nonEmpty(members)))
        case .setIntset:
            let values = try reader.readString().withPayloadBytes { blob throws(DumpPayloadError) in
                try Intset.decode(blob)
            }
            return .set(try nonEmpty(values.map(RDBNumbers.decimal)))
        case .setListpack:
            let members = try ListpackReader.entries(try reader.readString()).map(\.bytes)
            return .set(try unique(try nonEmpty(members)))
        case .hash:
            let count = try reader.readCount(minimumItemSize: 2)
            var items: [[UInt8]] = []
            items.reserveCapacity(2 * count)
            for _ in 0..<2 * count { items.append(try reader.readString()) }
            return .hash(try hashFields(items))
        case .hashZipmap:
            let items = try reader.readString().withPayloadBytes { blob throws(DumpPayloadError) in
                try ZipmapReader.entries(blob)
            }
            return .hash(try hashFields(items))
        case .hashZiplist:
            return .hash(try hashFields(try ZiplistReader.entries(try reader.readString()).map(\.bytes)))
        case .hashListpack:
            return .hash(try hashFields(try ListpackReader.entries(try reader.readString()).map(\.bytes)))
        case .zset, .zset2:
            let count = try reader.readCount(minimumItemSize: type == .zset2 ? 9 : 2)
            var members: [DumpValue.ScoredMember] = []
            members.reserveCapacity(count)
            for _ in 0..<count {
                let member = try reader.readString()
                let score = type == .zset2 ? try reader.readBinaryDouble() : try reader.readStringDouble()
                members.append(DumpValue.ScoredMember(member: member, score: score))
            }
            return .sortedSet(try sortedSetMembers(members))
        case .zsetZiplist:
            return .sortedSet(try scoredPairs(try ZiplistReader.entries(try reader.readString())))
        case .zsetListpack:
            return .sortedSet(try scoredPairs(try ListpackReader.entries(try reader.readString())))
        case .modulePreGA, .module2, .streamListpacks, .streamListpacks2, .streamListpacks3,
            .hashMetadataPreGA, .hashListpackExPreGA, .hashMetadata, .hashListpackEx:
            throw .badData("unsupported type \(typeByte)")
        }
    }

    /// The elements of a quicklist: nodes of ziplists (type 14) or, with a container kind
    /// before each node, of listpacks or single plain elements (type 18). Empty nodes are
    /// skipped, as Redis does.
    static func readQuicklist(from reader: inout RDBReader, hasContainers: Bool) throws(DumpPayloadError) -> [[UInt8]] {
        let nodeCount = try reader.readCount(minimumItemSize: hasContainers ? 2 : 1)
        var elements: [[UInt8]] = []
        for _ in 0..<nodeCount {
            var container = RDBFormat.quicklistPackedNode
            if hasContainers {
                container = try reader.readLength()
                guard container == RDBFormat.quicklistPackedNode || container == RDBFormat.quicklistPlainNode else {
                    throw .badData("unknown quicklist container \(container)")
                }
            }
            let blob = try reader.readString()
            if container == RDBFormat.quicklistPlainNode {
                elements.append(blob)
            } else if hasContainers {
                elements.append(contentsOf: try ListpackReader.entries(blob).lazy.map(\.bytes))
            } else {
                elements.append(contentsOf: try ZiplistReader.entries(blob).lazy.map(\.bytes))
            }
        }
        return try nonEmpty(elements)
    }

    static func nonEmpty<T>(_ items: [T]) throws(DumpPayloadError) -> [T] {
        guard !items.isEmpty else { throw .badData("empty collection") }
        return items
    }

    static func unique(_ members: [[UInt8]]) throws(DumpPayloadError) -> [[UInt8]] {
        var seen = Set<[UInt8]>(minimumCapacity: members.count)
        for member in members where !seen.insert(member).inserted {
            throw .badData("duplicate member")
        }
        return members
    }

    /// Alternating fields and values as pairs; refused when odd, empty or a field repeats.
    static func hashFields(_ items: [[UInt8]]) throws(DumpPayloadError) -> [DumpValue.HashField] {
        guard items.count % 2 == 0 else { throw .badData("hash with an odd number of items") }
        var fields: [DumpValue.HashField] = []
        fields.reserveCapacity(items.count / 2)
        var seen = Set<[UInt8]>(minimumCapacity: items.count / 2)
        for index in stride(from: 0, to: items.count, by: 2) {
            guard seen.insert(items[index]).inserted else { throw .badData("duplicate hash field") }
            fields.append(DumpValue.HashField(field: items[index], value: items[index + 1]))
        }
        return try nonEmpty(fields)
    }

    /// Alternating members and scores of a listpack or ziplist as sorted-set members.
    static func scoredPairs(_ entries: [PackedEntry]) throws(DumpPayloadError) -> [DumpValue.ScoredMember] {
        guard entries.count % 2 == 0 else { throw .badData("sorted set with an odd number of items") }
        var members: [DumpValue.ScoredMember] = []
        members.reserveCapacity(entries.count / 2)
        for index in stride(from: 0, to: entries.count, by: 2) {
            guard let score = entries[index + 1].score else { throw .badData("invalid score") }
            members.append(DumpValue.ScoredMember(member: entries[index].bytes, score: score))
        }
        return try sortedSetMembers(members)
    }

    /// `members` checked (no NaN, no duplicate, not empty) and sorted in Redis's order.
    static func sortedSetMembers(_ members: [DumpValue.ScoredMember]) throws(DumpPayloadError) -> [DumpValue.ScoredMember] {
        var seen = Set<[UInt8]>(minimumCapacity: members.count)
        for entry in members {
            guard !entry.score.isNaN else { throw .badData("NaN score") }
            guard seen.insert(entry.member).inserted else { throw .badData("duplicate sorted set member") }
        }
        return try nonEmpty(members).sorted(by: DumpValue.ScoredMember.precedes)
    }
}
