import SidecacheRESP

/// A set (the data half of Redis's `t_set.c`) in one of three encodings, as Redis 7.2 keeps
/// them:
///
/// - `intset`: every member is an integer in Redis's canonical form and there are at most
///   `set-max-intset-entries` of them; an `IntegerSet`, ascending.
/// - `listpack`: at most `set-max-listpack-entries` members of at most
///   `set-max-listpack-value` bytes; a `PackedList` in insertion order.
/// - `hashtable`: anything else; a `BytesTable`. A set never goes back to a smaller encoding.
///
/// Our reference redis-server is 7.0.15, which has no listpack sets: it holds a small set
/// with a non-integer member in a hash table and says `hashtable` where we say `listpack`
/// (the engine issue asks for 7.2's encoding). Intsets and large sets agree.
///
/// Memory: as `HashValue`, the object is one word besides its header: `storage` holds the
/// block or the table's reference, with the encoding in the two low bits.
package final class SetValue: CollectionValue, @unchecked Sendable {
    private var storage: UInt

    private static let packedTag: UInt = 0
    private static let tableTag: UInt = 1
    private static let intsetTag: UInt = 2

    enum Form {
        case intset(IntegerSet)
        case packed(PackedList)
        case table(BytesTable)
    }

    private var form: Form {
        let pointer = UnsafeMutableRawPointer(bitPattern: storage & ~3)!
        switch storage & 3 {
        case Self.intsetTag: return .intset(IntegerSet(base: pointer))
        case Self.tableTag: return .table(Unmanaged<BytesTable>.fromOpaque(pointer).takeUnretainedValue())
        default: return .packed(PackedList(base: pointer))
        }
    }

    private func store(_ set: IntegerSet) { storage = UInt(bitPattern: set.base) | Self.intsetTag }
    private func store(_ list: PackedList) { storage = UInt(bitPattern: list.base) | Self.packedTag }
    private static func word(for table: BytesTable) -> UInt {
        UInt(bitPattern: Unmanaged.passRetained(table).toOpaque()) | tableTag
    }

    /// An empty set in the encoding Redis 7.2's `setTypeCreate` picks for a set about to
    /// receive `expected` members, the first being `first`: an intset when `first` is an
    /// integer and `expected` fits `set-max-intset-entries`, a listpack when `expected` fits
    /// `set-max-listpack-entries`, else a table sized for `expected`.
    package init(first: UnsafeRawBufferPointer, expected: Int, limits: EncodingLimits) {
        if RedisInteger.parse(first) != nil && expected <= Self.intsetLimit(limits) {
            storage = UInt(bitPattern: IntegerSet().base) | Self.intsetTag
        } else if expected <= limits.setMaxListpackEntries {
            storage = UInt(bitPattern: PackedList().base) | Self.packedTag
        } else {
            storage = Self.word(for: BytesTable(capacity: expected))
        }
    }

    /// An empty intset, which the first non-integer member turns into a listpack or a table
    /// (the destination of SINTERSTORE, SUNIONSTORE, SDIFFSTORE).
    package init() {
        storage = UInt(bitPattern: IntegerSet().base) | Self.intsetTag
    }

    /// The set RESTORE decoded, encoded as `limits` choose.
    package init(restoring elements: [[UInt8]], limits: EncodingLimits) {
        storage = UInt(bitPattern: IntegerSet().base) | Self.intsetTag
        if elements.count > Self.intsetLimit(limits) {
            convert(toTable: elements.count > limits.setMaxListpackEntries, expected: elements.count)
        }
        for element in elements { element.withUnsafeBytes { _ = add($0, limits: limits) } }
    }

    private init(storage: UInt) {
        self.storage = storage
    }

    deinit {
        switch form {
        case .intset(let set): set.deallocate()
        case .packed(let list): list.deallocate()
        case .table: Unmanaged<BytesTable>.fromOpaque(UnsafeRawPointer(bitPattern: storage & ~3)!).release()
        }
    }

    /// Redis caps `set-max-intset-entries` at 2^30 (`intsetMaxEntries`).
    private static func intsetLimit(_ limits: EncodingLimits) -> Int {
        min(limits.setMaxIntsetEntries, 1 << 30)
    }

    // MARK: Reading

    /// Number of members (SCARD).
    package var count: Int {
        switch form {
        case .intset(let set): set.count
        case .packed(let list): list.count
        case .table(let table): table.count
        }
    }

    package var encodingName: StaticString {
        switch form {
        case .intset: "intset"
        case .packed: "listpack"
        case .table: "hashtable"
        }
    }

    package func contains(_ member: UnsafeRawBufferPointer) -> Bool {
        switch form {
        case .intset(let set):
            guard let value = RedisInteger.parse(member) else { return false }
            return set.contains(value)
        case .packed(let list):
            return list.find(member, stride: 1) != nil
        case .table(let table):
            return table.find(member) != nil
        }
    }

    /// Calls `body` with every member: an intset ascending (as decimal text), a listpack in
    /// insertion order, a table in the table's order. `body` must not change the set.
    package func forEach(_ body: (UnsafeRawBufferPointer) -> Void) {
        switch form {
        case .intset(let set):
            set.forEach { value in RedisInteger.withDecimalDigits(of: value, body) }
        case .packed(let list):
            list.forEach { _, bytes in body(bytes) }
        case .table(let table):
            for position in 0..<table.count { table.withEntry(at: position) { key, _ in body(key) } }
        }
    }

    /// Positions of the members, for repeated access by position (SRANDMEMBER, SPOP): a
    /// listpack is walked once to make it. Invalid after any change to the set.
    package struct MemberIndex {
        fileprivate let offsets: [Int32]?
    }

    package func makeMemberIndex() -> MemberIndex {
        if case .packed(let list) = form { return MemberIndex(offsets: list.offsets(stride: 1)) }
        return MemberIndex(offsets: nil)
    }

    /// Calls `body` with member number `position` (0 ..< count).
    package func withMember<R>(at position: Int, _ index: MemberIndex, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        switch form {
        case .intset(let set): RedisInteger.withDecimalDigits(of: set.value(at: position), body)
        case .packed(let list): body(list.entry(at: Int(index.offsets![position])).bytes)
        case .table(let table): table.withEntry(at: position) { key, _ in body(key) }
        }
    }

    /// One SSCAN step on a table (see `BytesTable.scan`); an intset or listpack is returned
    /// whole with cursor 0, as Redis does.
    package func scan(cursor: UInt64, _ body: (UnsafeRawBufferPointer) -> Void) -> UInt64 {
        if case .table(let table) = form {
            return table.scan(cursor: cursor) { key, _ in body(key) }
        }
        forEach(body)
        return 0
    }

    // MARK: Writing

    /// Redis 7.2's `setTypeAdd`: adds `member`; returns whether it was new. An intset takes
    /// integers until it passes `set-max-intset-entries` (then it becomes a table); a
    /// non-integer turns it into a listpack if the listpack limits allow, else a table. A
    /// listpack becomes a table when a member would pass its limits.
    package func add(_ member: UnsafeRawBufferPointer, limits: EncodingLimits) -> Bool {
        switch form {
        case .intset(var set):
            if let value = RedisInteger.parse(member) {
                guard set.insert(value) else { return false }
                store(set)
                if set.count > Self.intsetLimit(limits) { convert(toTable: true, expected: set.count) }
                return true
            }
            let fitsPacked =
                set.count < limits.setMaxListpackEntries && member.count <= limits.setMaxListpackValue
                && (set.count == 0 || Self.longestDecimal(set) <= limits.setMaxListpackValue)
            convert(toTable: !fitsPacked, expected: set.count + 1)
            return add(member, limits: limits)
        case .packed(var list):
            if list.find(member, stride: 1) != nil { return false }
            guard list.count < limits.setMaxListpackEntries, member.count <= limits.setMaxListpackValue,
                list.canGrow(by: PackedList.entrySize(member.count))
            else {
                convert(toTable: true, expected: list.count + 1)
                return add(member, limits: limits)
            }
            list.append(member)
            store(list)
            return true
        case .table(let table):
            guard table.find(member) == nil else { return false }
            table.insertNew(member, UnsafeRawBufferPointer(start: nil, count: 0))
            return true
        }
    }

    /// Removes `member`; returns whether it was there.
    package func remove(_ member: UnsafeRawBufferPointer) -> Bool {
        switch form {
        case .intset(var set):
            guard let value = RedisInteger.parse(member), set.remove(value) else { return false }
            store(set)
            return true
        case .packed(var list):
            guard let offset = list.find(member, stride: 1) else { return false }
            list.remove(at: offset, entries: 1)
            store(list)
            return true
        case .table(let table):
            return table.remove(member)
        }
    }

    /// Removes member number `position` (see `withMember`); invalidates any `MemberIndex`.
    package func remove(at position: Int, _ index: MemberIndex) {
        switch form {
        case .intset(var set):
            set.remove(at: position)
            store(set)
        case .packed(var list):
            list.remove(at: Int(index.offsets![position]), entries: 1)
            store(list)
        case .table(let table):
            table.remove(at: position)
        }
    }

    /// The number of decimal characters of the widest member of a non-empty intset.
    private static func longestDecimal(_ set: IntegerSet) -> Int {
        max(RedisInteger.decimalLength(set.minimum), RedisInteger.decimalLength(set.maximum))
    }

    /// Moves an intset's or a listpack's members into a table (`toTable`) or a listpack (from
    /// an intset only), sized for `expected` members.
    private func convert(toTable: Bool, expected: Int) {
        let old = form
        if toTable {
            let table = BytesTable(capacity: expected)
            forEach { table.insertNew($0, UnsafeRawBufferPointer(start: nil, count: 0)) }
            storage = Self.word(for: table)
        } else {
            var payload = 0
            forEach { payload += PackedList.entrySize($0.count) }
            var list = PackedList(reservingPayload: payload)
            forEach { list.append($0) }
            storage = UInt(bitPattern: list.base) | Self.packedTag
        }
        switch old {
        case .intset(let set): set.deallocate()
        case .packed(let list): list.deallocate()
        case .table: preconditionFailure("a table is never converted")
        }
    }

    // MARK: CollectionValue

    package var estimatedMemoryUsage: Int {
        let object = 32
        switch form {
        case .intset(let set): return object + (set.blockSize + 8 + 15) & ~15
        case .packed(let list): return object + (list.blockSize + 8 + 15) & ~15
        case .table(let table): return object + 48 + table.estimatedMemoryUsage
        }
    }

    package var dumpValue: DumpValue? {
        var members: [[UInt8]] = []
        members.reserveCapacity(count)
        forEach { members.append(Array($0)) }
        return .set(members)
    }

    /// A copy in the same encoding (Redis's `setTypeDup`).
    package func copy() -> Self {
        switch form {
        case .intset(let set): Self(storage: UInt(bitPattern: set.copy().base) | Self.intsetTag)
        case .packed(let list): Self(storage: UInt(bitPattern: list.copy().base) | Self.packedTag)
        case .table(let table): Self(storage: Self.word(for: table.copy()))
        }
    }
}
