/// A hash (the data half of Redis's `t_hash.c`): field-value pairs in a `PackedList` (OBJECT
/// ENCODING `listpack`) while small, in a `BytesTable` (`hashtable`) for good once it passes
/// `hash-max-listpack-entries` fields or a field or value passes `hash-max-listpack-value`
/// bytes.
///
/// The listpack keeps Redis's order: new fields are appended, a changed value stays in place,
/// a deleted pair closes its gap, so HGETALL on a small hash answers as redis-server does.
///
/// Memory: the object is one word besides its header (a 32-byte allocation, like the `robj`
/// Redis puts in front of a listpack): `storage` is the listpack's block, or the table's
/// reference with the low bit set (blocks from `malloc` are 16-byte aligned).
package final class HashValue: CollectionValue, @unchecked Sendable {
    private var storage: UInt

    /// The two encodings, as `storage` holds them.
    enum Form {
        case packed(PackedList)
        case table(BytesTable)
    }

    private var form: Form {
        if storage & 1 == 0 { return .packed(PackedList(base: UnsafeMutableRawPointer(bitPattern: storage)!)) }
        return .table(Unmanaged<BytesTable>.fromOpaque(UnsafeRawPointer(bitPattern: storage & ~1)!).takeUnretainedValue())
    }

    /// An empty hash in the listpack encoding, with room for `payload` bytes of fields and
    /// values (see `PackedList.entrySize`) so that a command adding them allocates once. A key
    /// never holds an empty hash: the command that creates one adds a field at once.
    package init(reservingPayload payload: Int = 0) {
        storage = UInt(bitPattern: PackedList(reservingPayload: payload).base)
    }

    /// The hash RESTORE decoded, encoded as `limits` choose (Redis's `rdbLoadObject`).
    package init(restoring elements: [DumpValue.HashField], limits: EncodingLimits) {
        let payload = elements.reduce(0) { $0 + PackedList.entrySize($1.field.count) + PackedList.entrySize($1.value.count) }
        let fitsPacked =
            elements.count <= limits.hashMaxListpackEntries && payload <= PackedList.maximumByteCount
            && elements.allSatisfy { $0.field.count <= limits.hashMaxListpackValue && $0.value.count <= limits.hashMaxListpackValue }
        if fitsPacked {
            var list = PackedList(reservingPayload: payload)
            for element in elements {
                element.field.withUnsafeBytes { list.append($0) }
                element.value.withUnsafeBytes { list.append($0) }
            }
            storage = UInt(bitPattern: list.base)
        } else {
            let table = BytesTable(capacity: elements.count)
            for element in elements {
                element.field.withUnsafeBytes { field in element.value.withUnsafeBytes { _ = table.set(field, $0) } }
            }
            storage = Self.word(for: table)
        }
    }

    private init(storage: UInt) {
        self.storage = storage
    }

    deinit {
        switch form {
        case .packed(let list): list.deallocate()
        case .table: Unmanaged<BytesTable>.fromOpaque(UnsafeRawPointer(bitPattern: storage & ~1)!).release()
        }
    }

    private static func word(for table: BytesTable) -> UInt {
        UInt(bitPattern: Unmanaged.passRetained(table).toOpaque()) | 1
    }

    // MARK: Reading

    /// Number of fields (HLEN).
    package var count: Int {
        switch form {
        case .packed(let list): list.count / 2
        case .table(let table): table.count
        }
    }

    package var isPacked: Bool { storage & 1 == 0 }

    package var encodingName: StaticString { isPacked ? "listpack" : "hashtable" }

    /// Calls `body` with the value of `field`, or with `nil` when the hash has no such field.
    package func withValue<R>(of field: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
        switch form {
        case .packed(let list):
            guard let offset = list.find(field, stride: 2) else { return body(nil) }
            return body(list.entry(at: list.offset(after: offset)).bytes)
        case .table(let table):
            guard let position = table.find(field) else { return body(nil) }
            return table.withEntry(at: position) { _, value in body(value) }
        }
    }

    package func contains(_ field: UnsafeRawBufferPointer) -> Bool {
        withValue(of: field) { $0 != nil }
    }

    /// Calls `body` with every field and its value: in the listpack in order, in the table in
    /// the table's order. `body` must not change the hash.
    package func forEach(_ body: (_ field: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> Void) {
        switch form {
        case .packed(let list):
            var offset = list.startOffset
            let end = list.endOffset
            while offset < end {
                let field = list.entry(at: offset)
                let value = list.entry(at: field.next)
                body(field.bytes, value.bytes)
                offset = value.next
            }
        case .table(let table):
            for position in 0..<table.count { table.withEntry(at: position, body) }
        }
    }

    /// Positions of the pairs, for repeated access by position (HRANDFIELD): a listpack is
    /// walked once to make it. Invalid after any change to the hash.
    package struct PairIndex {
        fileprivate let offsets: [Int32]?
    }

    package func makePairIndex() -> PairIndex {
        switch form {
        case .packed(let list): PairIndex(offsets: list.offsets(stride: 2))
        case .table: PairIndex(offsets: nil)
        }
    }

    /// Calls `body` with the field and value of pair number `position` (0 ..< count).
    package func withPair<R>(
        at position: Int,
        _ index: PairIndex,
        _ body: (_ field: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> R
    ) -> R {
        switch form {
        case .packed(let list):
            let field = list.entry(at: Int(index.offsets![position]))
            return body(field.bytes, list.entry(at: field.next).bytes)
        case .table(let table):
            return table.withEntry(at: position, body)
        }
    }

    /// One HSCAN step on a table (see `BytesTable.scan`). A listpack is returned whole by the
    /// caller instead, with cursor 0, as Redis does.
    package func scan(cursor: UInt64, _ body: (_ field: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> Void) -> UInt64 {
        switch form {
        case .packed:
            forEach(body)
            return 0
        case .table(let table):
            return table.scan(cursor: cursor, body)
        }
    }

    // MARK: Writing

    /// Redis's `hashTypeTryConversion`, before a command writes fields and values whose
    /// longest is `longest` bytes and whose lengths sum to `total`: a listpack becomes a table
    /// when one of them passes `hash-max-listpack-value` or the block would pass 1 GiB.
    package func prepareForWrite(longest: Int, total: Int, limits: EncodingLimits) {
        guard case .packed(let list) = form else { return }
        if longest > limits.hashMaxListpackValue || !list.canGrow(by: total) { convertToTable() }
    }

    /// Redis's `hashTypeSet`: sets `field` to `value`; returns whether the field existed. A
    /// listpack becomes a table first when either is longer than `hash-max-listpack-value`,
    /// and after the write when it holds more than `hash-max-listpack-entries` fields.
    @discardableResult
    package func set(_ field: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, limits: EncodingLimits) -> Bool {
        if isPacked && (field.count > limits.hashMaxListpackValue || value.count > limits.hashMaxListpackValue) {
            convertToTable()
        }
        switch form {
        case .packed(var list):
            if let offset = list.find(field, stride: 2) {
                list.replace(at: list.offset(after: offset), with: value)
                storage = UInt(bitPattern: list.base)
                return true
            }
            list.append(field)
            list.append(value)
            storage = UInt(bitPattern: list.base)
            if list.count / 2 > limits.hashMaxListpackEntries { convertToTable() }
            return false
        case .table(let table):
            return !table.set(field, value)
        }
    }

    /// Removes `field`; returns whether it was there. A listpack closes the gap.
    @discardableResult
    package func remove(_ field: UnsafeRawBufferPointer) -> Bool {
        switch form {
        case .packed(var list):
            guard let offset = list.find(field, stride: 2) else { return false }
            list.remove(at: offset, entries: 2)
            storage = UInt(bitPattern: list.base)
            return true
        case .table(let table):
            return table.remove(field)
        }
    }

    /// Moves the pairs into a table, for good (`hashTypeConvertListpack`).
    private func convertToTable() {
        guard case .packed(let list) = form else { return }
        let table = BytesTable(capacity: list.count / 2)
        forEach { field, value in table.insertNew(field, value) }
        list.deallocate()
        storage = Self.word(for: table)
    }

    // MARK: CollectionValue

    package var estimatedMemoryUsage: Int {
        // The object: header and one word, in a 32-byte chunk.
        let object = 32
        switch form {
        case .packed(let list): return object + (list.blockSize + 8 + 15) & ~15
        case .table(let table): return object + 48 + table.estimatedMemoryUsage
        }
    }

    package var dumpValue: DumpValue? {
        var fields: [DumpValue.HashField] = []
        fields.reserveCapacity(count)
        forEach { field, value in fields.append(DumpValue.HashField(field: Array(field), value: Array(value))) }
        return .hash(fields)
    }

    /// A copy in the same encoding (Redis's `hashTypeDup`).
    package func copy() -> Self {
        switch form {
        case .packed(let list): Self(storage: UInt(bitPattern: list.copy().base))
        case .table(let table): Self(storage: Self.word(for: table.copy()))
        }
    }
}
