#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A small sorted set in one contiguous `malloc` block: the role of Redis's listpack
/// (`zzl*` in t_zset.c), in a denser layout of our own.
///
/// Members follow each other ordered by score, then by member bytes. Each member is stored
/// against the one before it (front and rear coding): it shares the first `prefix` and the
/// last `suffix` bytes of its predecessor and stores only the bytes between. One entry is
///
/// ```
/// header     LEB128: middleLength << 3 | shared << 2 | scoreKind
/// [prefix]   LEB128, only when `shared`
/// [suffix]   LEB128, only when `shared`
/// middle     the member's bytes between prefix and suffix
/// score      kind 0, 1, 2: an integral score as little-endian Int8, Int16, Int32;
///            kind 3: the Double's 8 bytes
/// ```
///
/// Members such as `member:3:00012345` next to `member:4:00012345` cost 5 bytes each. As in
/// Redis's listpack, which stores an integral score as an integer, negative zero is stored
/// as zero. A member is never longer than the block (each one grows its predecessor by at
/// most its middle), so one block-sized scratch buffer can rebuild any member.
///
/// Reading a member means walking from the head, so every operation is linear, as Redis's
/// are on a listpack: the set stays small (`zset-max-listpack-entries`). The owner
/// (`SortedSetValue`) frees the block with `deallocate()`; copies of this struct share it.
struct PackedSortedSet {
    private(set) var base: UnsafeMutableRawPointer?
    private var storedByteCount: UInt32 = 0
    private var storedCount: UInt32 = 0

    /// Bytes in use.
    var byteCount: Int { Int(storedByteCount) }
    /// Members held.
    var count: Int { Int(storedCount) }

    init() {}

    /// Frees the block; the set is empty afterwards.
    mutating func deallocate() {
        free(base)
        self = PackedSortedSet()
    }

    /// An independent copy of the block.
    func copy() -> PackedSortedSet {
        var copy = PackedSortedSet()
        guard let base, byteCount > 0 else { return copy }
        copy.base = Self.allocate(byteCount)
        copy.base!.copyMemory(from: base, byteCount: byteCount)
        copy.storedByteCount = storedByteCount
        copy.storedCount = storedCount
        return copy
    }

    // MARK: Reading

    /// Calls `body` with each member's rank, bytes (valid only during the call) and score,
    /// in order, until it returns `false`.
    func forEach(_ body: (_ rank: Int, _ member: UnsafeRawBufferPointer, _ score: Double) -> Bool) {
        walk { rank, member, score, _, _ in body(rank, member, score) }
    }

    /// The rank and score of `member`, if present (`zzlFind`).
    func find(_ member: UnsafeRawBufferPointer) -> (rank: Int, score: Double)? {
        var found: (Int, Double)?
        forEach { rank, current, score in
            if SortedSetOrder.equal(current, member) {
                found = (rank, score)
                return false
            }
            return true
        }
        return found
    }

    /// In one walk: the rank and score of `member` if present, and the rank at which
    /// `(member, score)` would be inserted into the set as it is (that of the first member
    /// sorting after it; an equal member sorts before it when its score is lower).
    func locate(_ member: UnsafeRawBufferPointer, score: Double) -> (found: (rank: Int, score: Double)?, insertion: Int) {
        var found: (Int, Double)?
        var insertion = count
        forEach { rank, current, currentScore in
            if insertion == count && SortedSetOrder.precedes(score, member, currentScore, current) { insertion = rank }
            if found == nil && SortedSetOrder.equal(current, member) { found = (rank, currentScore) }
            return found == nil || insertion == count
        }
        return (found, insertion)
    }

    /// The rank a new `(member, score)` takes (`zzlInsert`'s search): that of the first
    /// member sorting after it.
    func insertionRank(_ member: UnsafeRawBufferPointer, score: Double) -> Int {
        var position = count
        forEach { rank, current, currentScore in
            if SortedSetOrder.precedes(score, member, currentScore, current) {
                position = rank
                return false
            }
            return true
        }
        return position
    }

    /// One decoded entry header.
    private struct Entry {
        var prefixLength: Int
        var suffixLength: Int
        var middleStart: Int
        var middleLength: Int
        var score: Double
        /// Where the next entry starts.
        var next: Int
    }

    @inline(__always)
    private func entry(at offset: Int) -> Entry {
        let bytes = base!
        var position = offset
        let header = Self.readVarint(bytes, &position)
        var prefixLength = 0
        var suffixLength = 0
        if header & 4 != 0 {
            prefixLength = Int(Self.readVarint(bytes, &position))
            suffixLength = Int(Self.readVarint(bytes, &position))
        }
        let middleLength = Int(header >> 3)
        let middleStart = position
        position += middleLength
        let score: Double
        switch header & 3 {
        case 0:
            score = Double(bytes.load(fromByteOffset: position, as: Int8.self))
            position += 1
        case 1:
            score = Double(Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: Int16.self)))
            position += 2
        case 2:
            score = Double(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: Int32.self)))
            position += 4
        default:
            score = Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)))
            position += 8
        }
        return Entry(
            prefixLength: prefixLength, suffixLength: suffixLength, middleStart: middleStart,
            middleLength: middleLength, score: score, next: position
        )
    }

    /// The walk under every read: rebuilds each member in a scratch buffer from its
    /// predecessor and calls `body(rank, member, score, entry start, entry end)`.
    private func walk(_ body: (Int, UnsafeRawBufferPointer, Double, Int, Int) -> Bool) {
        guard let bytes = base, byteCount > 0 else { return }
        withUnsafeTemporaryAllocation(byteCount: byteCount, alignment: 1) { scratchBuffer in
            let scratch = scratchBuffer.baseAddress!
            var length = 0
            var offset = 0
            var rank = 0
            while offset < byteCount {
                let current = entry(at: offset)
                let suffixStart = current.prefixLength + current.middleLength
                if current.suffixLength > 0 {
                    memmove(scratch + suffixStart, scratch + length - current.suffixLength, current.suffixLength)
                }
                if current.middleLength > 0 {
                    memcpy(scratch + current.prefixLength, bytes + current.middleStart, current.middleLength)
                }
                length = suffixStart + current.suffixLength
                let member = UnsafeRawBufferPointer(start: scratch, count: length)
                if !body(rank, member, current.score, offset, current.next) { return }
                offset = current.next
                rank += 1
            }
        }
    }

    // MARK: Changing

    /// Removes the members with ranks in `removed` and puts `inserted` (if any) in their
    /// place. `inserted` must sort after the member before `removed` and before the member
    /// after it. The member after the change is re-encoded against its new predecessor.
    mutating func splice(removing removed: Range<Int>, inserting inserted: (member: UnsafeRawBufferPointer, score: Double)?) {
        let insertedLength = inserted?.member.count ?? 0
        // Scratch: the member before, the member after, and the encoded replacement.
        let scratchSize = 2 * byteCount + 2 * Self.maximumEntryLength(memberLength: max(byteCount, insertedLength)) + 1
        withUnsafeTemporaryAllocation(byteCount: scratchSize, alignment: 1) { scratchBuffer in
            let before = scratchBuffer.baseAddress!
            let after = before + byteCount
            let encoded = after + byteCount
            var beforeLength = 0
            var afterMember: (length: Int, score: Double)?
            var start = byteCount
            var end = byteCount
            walk { rank, member, score, offset, next in
                if rank == removed.lowerBound - 1 {
                    if let source = member.baseAddress { before.copyMemory(from: source, byteCount: member.count) }
                    beforeLength = member.count
                }
                if rank == removed.lowerBound { start = offset }
                if rank == removed.upperBound {
                    if let source = member.baseAddress { after.copyMemory(from: source, byteCount: member.count) }
                    afterMember = (member.count, score)
                    end = next
                    return false
                }
                return true
            }
            var previous = UnsafeRawBufferPointer(start: before, count: beforeLength)
            var length = 0
            if let inserted {
                length += Self.encode(inserted.member, score: inserted.score, after: previous, into: encoded)
                previous = inserted.member
            }
            if let afterMember {
                let member = UnsafeRawBufferPointer(start: after, count: afterMember.length)
                length += Self.encode(member, score: afterMember.score, after: previous, into: encoded + length)
            }
            replaceBytes(start..<end, with: UnsafeRawBufferPointer(start: encoded, count: length))
        }
        storedCount = UInt32(count - removed.count + (inserted == nil ? 0 : 1))
        if count == 0 { deallocate() }
    }

    /// Puts `bytes` where `range` was, moving the tail and resizing the block.
    private mutating func replaceBytes(_ range: Range<Int>, with bytes: UnsafeRawBufferPointer) {
        let newByteCount = byteCount - range.count + bytes.count
        if bytes.count > range.count { resize(newByteCount) }
        guard let block = base else { return }
        let tail = byteCount - range.upperBound
        if tail > 0 { memmove(block + range.lowerBound + bytes.count, block + range.upperBound, tail) }
        if let source = bytes.baseAddress { memcpy(block + range.lowerBound, source, bytes.count) }
        storedByteCount = UInt32(newByteCount)
        if bytes.count < range.count { resize(newByteCount) }
    }

    /// Builds a packed set from members appended in order.
    struct Builder {
        private var set = PackedSortedSet()
        private var previous: [UInt8] = []
        private var capacity = 0

        init() {}

        /// Appends `member`, which must sort after every member appended before.
        mutating func append(_ member: UnsafeRawBufferPointer, score: Double) {
            let needed = set.byteCount + PackedSortedSet.maximumEntryLength(memberLength: member.count)
            if needed > capacity {
                capacity = max(needed, capacity * 2)
                set.resize(capacity)
            }
            let written = previous.withUnsafeBytes { previous in
                PackedSortedSet.encode(member, score: score, after: previous, into: set.base! + set.byteCount)
            }
            set.storedByteCount += UInt32(written)
            set.storedCount += 1
            previous = Array(member)
        }

        /// The finished set, its block trimmed to the bytes used.
        mutating func finish() -> PackedSortedSet {
            set.resize(set.byteCount)
            defer { set = PackedSortedSet() }
            return set
        }
    }

    // MARK: Encoding

    /// Writes the entry of `member` stored against `previous` at `out`; returns its length.
    private static func encode(
        _ member: UnsafeRawBufferPointer,
        score: Double,
        after previous: UnsafeRawBufferPointer,
        into out: UnsafeMutableRawPointer
    ) -> Int {
        var prefix = 0
        let shortest = min(previous.count, member.count)
        while prefix < shortest && previous[prefix] == member[prefix] { prefix += 1 }
        var suffix = 0
        while prefix + suffix < shortest && previous[previous.count - 1 - suffix] == member[member.count - 1 - suffix] {
            suffix += 1
        }
        // Two length fields cost at least two bytes: share only when that saves some.
        let shared = prefix + suffix > 2
        if !shared {
            prefix = 0
            suffix = 0
        }
        let kind = scoreKind(score)
        let middleLength = member.count - prefix - suffix
        var position = 0
        writeVarint(UInt64(middleLength) << 3 | (shared ? 4 : 0) | UInt64(kind), out, &position)
        if shared {
            writeVarint(UInt64(prefix), out, &position)
            writeVarint(UInt64(suffix), out, &position)
        }
        if middleLength > 0 {
            (out + position).copyMemory(from: member.baseAddress! + prefix, byteCount: middleLength)
            position += middleLength
        }
        switch kind {
        case 0: out.storeBytes(of: Int8(score), toByteOffset: position, as: Int8.self)
        case 1: out.storeBytes(of: Int16(score).littleEndian, toByteOffset: position, as: Int16.self)
        case 2: out.storeBytes(of: Int32(score).littleEndian, toByteOffset: position, as: Int32.self)
        default: out.storeBytes(of: score.bitPattern.littleEndian, toByteOffset: position, as: UInt64.self)
        }
        return position + scoreLength(kind)
    }

    /// An upper bound on one entry's length: three 10-byte varints, the member, 8 score bytes.
    static func maximumEntryLength(memberLength: Int) -> Int { 38 + memberLength }

    /// 0, 1, 2: an integral score that fits `Int8`, `Int16`, `Int32` (negative zero counts as
    /// zero); 3: any other score, kept as a `Double`.
    private static func scoreKind(_ score: Double) -> Int {
        guard let integer = Int32(exactly: score) else { return 3 }
        if Int8(exactly: integer) != nil { return 0 }
        if Int16(exactly: integer) != nil { return 1 }
        return 2
    }

    private static func scoreLength(_ kind: Int) -> Int { kind == 3 ? 8 : 1 << kind }

    @inline(__always)
    private static func readVarint(_ bytes: UnsafeMutableRawPointer, _ position: inout Int) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = bytes.load(fromByteOffset: position, as: UInt8.self)
            position += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    @inline(__always)
    private static func writeVarint(_ value: UInt64, _ out: UnsafeMutableRawPointer, _ position: inout Int) {
        var rest = value
        while rest >= 0x80 {
            out.storeBytes(of: UInt8(truncatingIfNeeded: rest) | 0x80, toByteOffset: position, as: UInt8.self)
            rest >>= 7
            position += 1
        }
        out.storeBytes(of: UInt8(rest), toByteOffset: position, as: UInt8.self)
        position += 1
    }

    // MARK: Memory

    /// Resizes the block to exactly `size` bytes, as a listpack is sized (glibc's `realloc`
    /// stays in place while the block's chunk has room or can give some back).
    private mutating func resize(_ size: Int) {
        guard size > 0 else { return }
        guard let resized = realloc(base, size) else { fatalError("out of memory resizing a sorted set to \(size) bytes") }
        base = resized
    }

    private static func allocate(_ size: Int) -> UnsafeMutableRawPointer {
        guard let block = malloc(size) else { fatalError("out of memory allocating a sorted set of \(size) bytes") }
        return block
    }
}
