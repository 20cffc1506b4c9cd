#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Redis's intset (`intset.c`): distinct integers sorted ascending in one `malloc` block, all
/// in one width, 2, 4 or 8 bytes. The width is the smallest that held every value ever added:
/// adding a wider value re-encodes every member (an "upgrade"), removing one never narrows.
///
/// Layout: width (UInt32), count (UInt32), then the values in native byte order. The block is
/// exactly as long as its contents.
///
/// A value over a block it does not own: `SetValue` frees it. A mutating method may move the
/// block, so the owner stores the set back after a change.
struct IntegerSet {
    private(set) var base: UnsafeMutableRawPointer

    static let headerSize = 8

    /// An empty set of 2-byte width.
    init() {
        base = malloc(Self.headerSize)!
        setHeader(width: 2, count: 0)
    }

    init(base: UnsafeMutableRawPointer) {
        self.base = base
    }

    var width: Int { Int(base.load(as: UInt32.self)) }
    var count: Int { Int(base.load(fromByteOffset: 4, as: UInt32.self)) }
    var blockSize: Int { Self.headerSize + width * count }

    /// The value at `index` (0 is the smallest).
    @inline(__always)
    func value(at index: Int) -> Int64 {
        Self.load(base, width: width, index: index)
    }

    var minimum: Int64 { value(at: 0) }
    var maximum: Int64 { value(at: count - 1) }

    /// Where `value` is, or where it would be inserted to keep the order.
    func search(_ value: Int64) -> (found: Bool, index: Int) {
        var low = 0
        var high = count
        let width = self.width
        while low < high {
            let middle = (low + high) / 2
            let current = Self.load(base, width: width, index: middle)
            if current == value { return (true, middle) }
            if current < value { low = middle + 1 } else { high = middle }
        }
        return (false, low)
    }

    func contains(_ value: Int64) -> Bool {
        search(value).found
    }

    /// Adds `value`; returns whether it was new. Upgrades the width first when `value` needs a
    /// wider one (`intsetUpgradeAndAdd`: the new value then goes to one end).
    mutating func insert(_ value: Int64) -> Bool {
        let needed = Self.width(of: value)
        if needed > width {
            upgrade(to: needed, adding: value)
            return true
        }
        let (found, index) = search(value)
        if found { return false }
        let width = self.width
        let count = self.count
        base = realloc(base, Self.headerSize + width * (count + 1))!
        let slot = base + Self.headerSize + index * width
        memmove(slot + width, slot, (count - index) * width)
        Self.store(value, base, width: width, index: index)
        setHeader(width: width, count: count + 1)
        return true
    }

    /// Removes `value`; returns whether it was there.
    mutating func remove(_ value: Int64) -> Bool {
        guard Self.width(of: value) <= width else { return false }
        let (found, index) = search(value)
        guard found else { return false }
        remove(at: index)
        return true
    }

    /// Removes the value at `index`.
    mutating func remove(at index: Int) {
        let width = self.width
        let count = self.count
        let slot = base + Self.headerSize + index * width
        memmove(slot, slot + width, (count - index - 1) * width)
        setHeader(width: width, count: count - 1)
        base = realloc(base, Self.headerSize + width * (count - 1))!
    }

    /// Calls `body` with each value, ascending.
    func forEach(_ body: (Int64) -> Void) {
        let width = self.width
        for index in 0..<count { body(Self.load(base, width: width, index: index)) }
    }

    /// An independent block with the same values.
    func copy() -> IntegerSet {
        let block = malloc(blockSize)!
        block.copyMemory(from: base, byteCount: blockSize)
        return IntegerSet(base: block)
    }

    /// Releases the block; the set must not be used afterwards.
    func deallocate() {
        free(base)
    }

    /// The narrowest intset width that holds `value` (`_intsetValueEncoding`).
    static func width(of value: Int64) -> Int {
        if Int16(exactly: value) != nil { return 2 }
        if Int32(exactly: value) != nil { return 4 }
        return 8
    }

    // MARK: Private

    private func setHeader(width: Int, count: Int) {
        base.storeBytes(of: UInt32(width), as: UInt32.self)
        base.storeBytes(of: UInt32(count), toByteOffset: 4, as: UInt32.self)
    }

    private mutating func upgrade(to newWidth: Int, adding value: Int64) {
        let oldWidth = width
        let count = self.count
        base = realloc(base, Self.headerSize + newWidth * (count + 1))!
        // A value wider than every member is below all of them or above all of them.
        let prepend = value < 0 ? 1 : 0
        // Back to front, so that no value is overwritten before it is moved.
        for index in stride(from: count - 1, through: 0, by: -1) {
            Self.store(Self.load(base, width: oldWidth, index: index), base, width: newWidth, index: index + prepend)
        }
        Self.store(value, base, width: newWidth, index: prepend == 1 ? 0 : count)
        setHeader(width: newWidth, count: count + 1)
    }

    @inline(__always)
    private static func load(_ base: UnsafeMutableRawPointer, width: Int, index: Int) -> Int64 {
        let offset = headerSize + index * width
        switch width {
        case 2: return Int64(base.loadUnaligned(fromByteOffset: offset, as: Int16.self))
        case 4: return Int64(base.loadUnaligned(fromByteOffset: offset, as: Int32.self))
        default: return base.loadUnaligned(fromByteOffset: offset, as: Int64.self)
        }
    }

    @inline(__always)
    private static func store(_ value: Int64, _ base: UnsafeMutableRawPointer, width: Int, index: Int) {
        let offset = headerSize + index * width
        switch width {
        case 2: base.storeBytes(of: Int16(truncatingIfNeeded: value), toByteOffset: offset, as: Int16.self)
        case 4: base.storeBytes(of: Int32(truncatingIfNeeded: value), toByteOffset: offset, as: Int32.self)
        default: base.storeBytes(of: value, toByteOffset: offset, as: Int64.self)
        }
    }
}
