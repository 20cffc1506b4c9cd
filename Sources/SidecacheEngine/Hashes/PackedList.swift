#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte strings one after another in a single `malloc` block: the compact (`listpack`)
/// encoding of small hashes (field, value, field, value, …) and of small sets, in the spirit
/// of Redis's listpack.
///
/// Layout: a header of two `UInt32`, the bytes of the entries and the number of entries, then
/// each entry as its length in LEB128 (one byte up to 127, two up to 16,383) followed by its
/// bytes. The block is allocated as long as its contents, as Redis reallocates a listpack on
/// every change, so a small collection carries no spare capacity beyond what `malloc` rounds
/// up to; an append that fits in that rounding (`malloc_usable_size`) does not reallocate.
///
/// A value over a block it does not own: the owner (`HashValue`, `SetValue`) frees it. A
/// mutating method may move the block, so the owner stores the list back after a change.
struct PackedList {
    private(set) var base: UnsafeMutableRawPointer

    static let headerSize = 8
    /// Redis's `LISTPACK_MAX_SAFETY_SIZE`: past 1 GiB a collection takes its table encoding.
    static let maximumByteCount = 1 << 30

    /// An empty list.
    init() {
        self.init(reservingPayload: 0)
    }

    /// An empty list whose block already has room for `payload` bytes of entries, for a
    /// caller about to append that much (a conversion, a new hash's first fields).
    init(reservingPayload payload: Int) {
        base = malloc(Self.headerSize + payload)!
        base.storeBytes(of: 0, as: UInt64.self)
    }

    init(base: UnsafeMutableRawPointer) {
        self.base = base
    }

    /// Bytes of the entries, after the header.
    var byteCount: Int { Int(base.load(as: UInt32.self)) }
    /// Number of entries.
    var count: Int { Int(base.load(fromByteOffset: 4, as: UInt32.self)) }
    /// The block's size: header and entries.
    var blockSize: Int { Self.headerSize + byteCount }

    /// The offset of the first entry; an offset equal to `endOffset` means "no more entries".
    var startOffset: Int { Self.headerSize }
    var endOffset: Int { Self.headerSize + byteCount }

    /// Whether `additional` more bytes of entries keep the block within `maximumByteCount`
    /// (Redis's `lpSafeToAdd`).
    func canGrow(by additional: Int) -> Bool {
        byteCount + additional <= Self.maximumByteCount
    }

    /// Bytes an entry of `length` bytes takes: its length prefix and itself.
    static func entrySize(_ length: Int) -> Int {
        var size = 1
        var rest = length >> 7
        while rest > 0 {
            size += 1
            rest >>= 7
        }
        return size + length
    }

    /// The entry at `offset`: its bytes, and the offset of the entry after it.
    @inline(__always)
    func entry(at offset: Int) -> (bytes: UnsafeRawBufferPointer, next: Int) {
        var position = offset
        var length = 0
        var shift = 0
        while true {
            let byte = base.load(fromByteOffset: position, as: UInt8.self)
            position += 1
            length |= Int(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        return (UnsafeRawBufferPointer(start: base + position, count: length), position + length)
    }

    /// The offset of the entry after the one at `offset`.
    @inline(__always)
    func offset(after offset: Int) -> Int {
        entry(at: offset).next
    }

    /// The offset of the first entry equal to `key` among the entries at positions 0,
    /// `stride`, 2·`stride`, … (the fields of a hash with a stride of 2), or `nil`.
    func find(_ key: UnsafeRawBufferPointer, stride: Int) -> Int? {
        var offset = startOffset
        let end = endOffset
        while offset < end {
            let (bytes, next) = entry(at: offset)
            if bytes.count == key.count && (key.count == 0 || memcmp(bytes.baseAddress!, key.baseAddress!, key.count) == 0) {
                return offset
            }
            offset = next
            for _ in 1..<stride { offset = self.offset(after: offset) }
        }
        return nil
    }

    /// Calls `body` with each entry's offset and bytes, in order. `body` must not change the list.
    func forEach(_ body: (_ offset: Int, _ bytes: UnsafeRawBufferPointer) -> Void) {
        var offset = startOffset
        let end = endOffset
        while offset < end {
            let (bytes, next) = entry(at: offset)
            body(offset, bytes)
            offset = next
        }
    }

    /// Appends one entry at the end, growing the block only when it has no room left.
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        let size = Self.entrySize(bytes.count)
        if blockSize + size > Self.usableSize(base) { resize(to: blockSize + size) }
        write(bytes, at: endOffset)
        setHeader(byteCount: byteCount + size, count: count + 1)
    }

    /// Replaces the entry at `offset` with `bytes`; entries after it move.
    mutating func replace(at offset: Int, with bytes: UnsafeRawBufferPointer) {
        let oldEnd = self.offset(after: offset)
        let oldSize = oldEnd - offset
        let newSize = Self.entrySize(bytes.count)
        let tail = endOffset - oldEnd
        let newByteCount = byteCount - oldSize + newSize
        if Self.headerSize + newByteCount > Self.usableSize(base) { resize(to: Self.headerSize + newByteCount) }
        memmove(base + offset + newSize, base + oldEnd, tail)
        if newSize < oldSize { resize(to: Self.headerSize + newByteCount) }
        write(bytes, at: offset)
        setHeader(byteCount: newByteCount, count: count)
    }

    /// Removes `entries` consecutive entries starting at `offset`; entries after them move up,
    /// so the order of the others is kept (Redis's `lpDeleteRange`).
    mutating func remove(at offset: Int, entries: Int) {
        var end = offset
        for _ in 0..<entries { end = self.offset(after: end) }
        let removed = end - offset
        memmove(base + offset, base + end, endOffset - end)
        setHeader(byteCount: byteCount - removed, count: count - entries)
        resize(to: blockSize)
    }

    /// The offsets of every `stride`-th entry from the first, for random access by position.
    func offsets(stride: Int) -> [Int32] {
        var offsets: [Int32] = []
        offsets.reserveCapacity(count / stride)
        var position = 0
        forEach { offset, _ in
            if position % stride == 0 { offsets.append(Int32(offset)) }
            position += 1
        }
        return offsets
    }

    /// An independent block with the same entries.
    func copy() -> PackedList {
        let block = malloc(blockSize)!
        block.copyMemory(from: base, byteCount: blockSize)
        return PackedList(base: block)
    }

    /// Releases the block; the list must not be used afterwards.
    func deallocate() {
        free(base)
    }

    // MARK: Private

    /// The bytes `malloc` actually gave `block`: at least what was asked for.
    private static func usableSize(_ block: UnsafeMutableRawPointer) -> Int {
        #if canImport(Darwin)
        malloc_size(block)
        #else
        mallocUsableSize.map { $0(block) } ?? PackedList(base: block).blockSize
        #endif
    }

    #if !canImport(Darwin)
    /// glibc's and musl's `malloc_usable_size`, which their Swift module maps leave out
    /// (`<malloc.h>`); looked up once. Without it a list counts as full, as if `malloc` gave
    /// exactly what was asked for.
    private static let mallocUsableSize: (@convention(c) (UnsafeMutableRawPointer?) -> Int)? = {
        guard let symbol = dlsym(nil, "malloc_usable_size") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutableRawPointer?) -> Int).self)
    }()
    #endif

    private mutating func resize(to size: Int) {
        base = realloc(base, size)!
    }

    private func setHeader(byteCount: Int, count: Int) {
        base.storeBytes(of: UInt32(byteCount), as: UInt32.self)
        base.storeBytes(of: UInt32(count), toByteOffset: 4, as: UInt32.self)
    }

    /// Writes the length prefix and the bytes of an entry at `offset`.
    private func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
        var position = offset
        var length = bytes.count
        while length >= 0x80 {
            base.storeBytes(of: UInt8(truncatingIfNeeded: length) | 0x80, toByteOffset: position, as: UInt8.self)
            position += 1
            length >>= 7
        }
        base.storeBytes(of: UInt8(length), toByteOffset: position, as: UInt8.self)
        position += 1
        if let source = bytes.baseAddress, bytes.count > 0 {
            (base + position).copyMemory(from: source, byteCount: bytes.count)
        }
    }
}
