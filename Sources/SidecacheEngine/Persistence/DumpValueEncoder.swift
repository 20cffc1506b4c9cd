import SidecacheRESP

/// Serializes a `DumpValue` (type byte and body) in the encoding redis-server 7.0.15 gives the
/// same contents when they are built with RPUSH, SADD, HSET or ZADD under `limits`:
///
/// - string: `rdbSaveRawString` (integer, LZF or raw);
/// - list: quicklist 2 (type 18), listpack nodes split as `quicklistPushTail` splits them,
///   plain nodes for elements of `listPackedThreshold` (1 GiB) or more;
/// - set: intset (11) when every member is a canonical integer and there are at most
///   `set-max-intset-entries`, else plain (2) in the given order;
/// - hash: listpack (16) within `hash-max-listpack-entries`/`-value`, else plain (4);
/// - sorted set: listpack (17) ascending within `zset-max-listpack-entries`/`-value`, else
///   zset 2 (5) from the highest score down, as Redis walks its skiplist from the tail.
enum DumpValueEncoder {
    /// `SIZE_SAFETY_LIMIT` and `optimization_level` of `quicklist.c`.
    static let sizeSafetyLimit = 8192
    static let optimizationLevels = [4096, 8192, 16384, 32768, 65536]
    /// `SIZE_ESTIMATE_OVERHEAD`: what `_quicklistNodeAllowInsert` adds for entry headers.
    static let sizeEstimateOverhead = 8

    static func write(_ value: DumpValue, limits: DumpEncodingLimits, to writer: inout RDBWriter) {
        switch value {
        case .string(let bytes):
            writer.writeByte(RDBType.string.rawValue)
            writer.writeString(bytes)
        case .list(let elements):
            writeList(elements, limits: limits, to: &writer)
        case .set(let members):
            writeSet(members, limits: limits, to: &writer)
        case .hash(let fields):
            writeHash(fields, limits: limits, to: &writer)
        case .sortedSet(let members):
            writeSortedSet(members, limits: limits, to: &writer)
        }
    }

    enum QuicklistNode {
        case packed(ListpackWriter)
        case plain([UInt8])
    }

    /// The quicklist nodes Redis 7.0 builds by RPUSHing `elements` one by one with
    /// `list-max-listpack-size` and `packed_threshold` from `limits`.
    static func quicklistNodes(_ elements: [[UInt8]], limits: DumpEncodingLimits) -> [QuicklistNode] {
        let fill = min(max(limits.listMaxListpackSize, -5), (1 << 15) - 1)  // quicklistSetFill's clamp
        var nodes: [QuicklistNode] = []
        var tail = ListpackWriter()
        var hasTail = false
        for element in elements {
            if element.count >= limits.listPackedThreshold {
                if hasTail { nodes.append(.packed(tail)) }
                hasTail = false
                nodes.append(.plain(element))
                continue
            }
            if !hasTail || !allowsInsert(tail, elementSize: element.count, fill: fill) {
                if hasTail { nodes.append(.packed(tail)) }
                tail = ListpackWriter()
                hasTail = true
            }
            tail.append(element)
        }
        if hasTail { nodes.append(.packed(tail)) }
        return nodes
    }

    /// `_quicklistNodeAllowInsert` of Redis 7.0 for a packed node.
    static func allowsInsert(_ node: ListpackWriter, elementSize: Int, fill: Int) -> Bool {
        let newSize = node.byteCount + elementSize + sizeEstimateOverhead
        if fill < 0 && newSize <= optimizationLevels[-fill - 1] { return true }
        if newSize > sizeSafetyLimit { return false }
        return node.count < fill
    }

    static func writeList(_ elements: [[UInt8]], limits: DumpEncodingLimits, to writer: inout RDBWriter) {
        writer.writeByte(RDBType.listQuicklist2.rawValue)
        let nodes = quicklistNodes(elements, limits: limits)
        writer.writeLength(nodes.count)
        for node in nodes {
            switch node {
            case .packed(let listpack):
                writer.writeLength(RDBFormat.quicklistPackedNode)
                writer.writeString(listpack.finish())
            case .plain(let element):
                writer.writeLength(RDBFormat.quicklistPlainNode)
                writer.writeString(element)
            }
        }
    }

    static func writeSet(_ members: [[UInt8]], limits: DumpEncodingLimits, to writer: inout RDBWriter) {
        if members.count <= limits.setMaxIntsetEntries {
            var integers: [Int64] = []
            integers.reserveCapacity(members.count)
            for member in members {
                guard let value = RedisInteger.parse(bytes: member) else { break }
                integers.append(value)
            }
            if integers.count == members.count {
                integers.sort()
                writer.writeByte(RDBType.setIntset.rawValue)
                writer.writeString(Intset.encode(sortedValues: integers))
                return
            }
        }
        writer.writeByte(RDBType.set.rawValue)
        writer.writeLength(members.count)
        for member in members { writer.writeString(member) }
    }

    static func writeHash(_ fields: [DumpValue.HashField], limits: DumpEncodingLimits, to writer: inout RDBWriter) {
        let limit = limits.hashMaxListpackValue
        if fields.count <= limits.hashMaxListpackEntries
            && fields.allSatisfy({ $0.field.count <= limit && $0.value.count <= limit })
        {
            var listpack = ListpackWriter()
            for entry in fields {
                listpack.append(entry.field)
                listpack.append(entry.value)
            }
            writer.writeByte(RDBType.hashListpack.rawValue)
            writer.writeString(listpack.finish())
            return
        }
        writer.writeByte(RDBType.hash.rawValue)
        writer.writeLength(fields.count)
        for entry in fields {
            writer.writeString(entry.field)
            writer.writeString(entry.value)
        }
    }

    static func writeSortedSet(
        _ members: [DumpValue.ScoredMember], limits: DumpEncodingLimits, to writer: inout RDBWriter
    ) {
        let sorted = members.sorted(by: DumpValue.ScoredMember.precedes)
        if sorted.count <= limits.zsetMaxListpackEntries
            && sorted.allSatisfy({ $0.member.count <= limits.zsetMaxListpackValue })
        {
            var listpack = ListpackWriter()
            for entry in sorted {
                listpack.append(entry.member)
                listpack.append(RDBNumbers.scoreText(entry.score))
            }
            writer.writeByte(RDBType.zsetListpack.rawValue)
            writer.writeString(listpack.finish())
            return
        }
        writer.writeByte(RDBType.zset2.rawValue)
        writer.writeLength(sorted.count)
        for entry in sorted.reversed() {
            writer.writeString(entry.member)
            writer.writeBinaryDouble(entry.score)
        }
    }
}
