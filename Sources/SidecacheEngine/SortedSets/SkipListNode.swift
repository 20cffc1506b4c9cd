#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One node of a `SkipList` in a single `malloc` block (Redis's `zskiplistNode` with its
/// `sds` member and `dictEntry` folded in):
///
/// ```
/// 0   score            Double
/// 8   backward         node or null (level 0 only, towards the head)
/// 16  hashNext         next node in the same `MemberIndex` bucket
/// 24  memberLength     UInt32
/// 28  level            UInt32 (1...32)
/// 32  levels           level × (forward: node or null, span: Int)
/// ..  member bytes
/// ```
///
/// A value type around the pointer: copies name the same node. The skip list owns and
/// frees every node.
struct SkipListNode: Equatable {
    let raw: UnsafeMutableRawPointer

    /// Redis's `ZSKIPLIST_MAXLEVEL`.
    static let maxLevel = 32
    private static let levelsOffset = 32
    private static let levelStride = 16

    @inline(__always)
    init(_ raw: UnsafeMutableRawPointer) { self.raw = raw }

    @inline(__always)
    init?(_ raw: UnsafeMutableRawPointer?) {
        guard let raw else { return nil }
        self.raw = raw
    }

    /// A node with `level` levels (all forward pointers null, spans 0) holding a copy of
    /// `member`.
    static func allocate(level: Int, score: Double, member: UnsafeRawBufferPointer) -> SkipListNode {
        let size = allocationSize(level: level, memberLength: member.count)
        guard let raw = malloc(size) else { fatalError("out of memory allocating a skip list node of \(size) bytes") }
        memset(raw, 0, levelsOffset + level * levelStride)
        let node = SkipListNode(raw)
        node.score = score
        raw.storeBytes(of: UInt32(member.count), toByteOffset: 24, as: UInt32.self)
        raw.storeBytes(of: UInt32(level), toByteOffset: 28, as: UInt32.self)
        if let source = member.baseAddress {
            (raw + levelsOffset + level * levelStride).copyMemory(from: source, byteCount: member.count)
        }
        return node
    }

    static func allocationSize(level: Int, memberLength: Int) -> Int {
        levelsOffset + level * levelStride + memberLength
    }

    func deallocate() { free(raw) }

    @inline(__always)
    var score: Double {
        get { raw.load(as: Double.self) }
        nonmutating set { raw.storeBytes(of: newValue, as: Double.self) }
    }

    @inline(__always)
    var backward: SkipListNode? {
        get { SkipListNode(raw.load(fromByteOffset: 8, as: UnsafeMutableRawPointer?.self)) }
        nonmutating set { raw.storeBytes(of: newValue?.raw, toByteOffset: 8, as: UnsafeMutableRawPointer?.self) }
    }

    @inline(__always)
    var hashNext: SkipListNode? {
        get { SkipListNode(raw.load(fromByteOffset: 16, as: UnsafeMutableRawPointer?.self)) }
        nonmutating set { raw.storeBytes(of: newValue?.raw, toByteOffset: 16, as: UnsafeMutableRawPointer?.self) }
    }

    @inline(__always)
    var memberLength: Int { Int(raw.load(fromByteOffset: 24, as: UInt32.self)) }

    @inline(__always)
    var level: Int { Int(raw.load(fromByteOffset: 28, as: UInt32.self)) }

    @inline(__always)
    func forward(_ level: Int) -> SkipListNode? {
        SkipListNode(raw.load(fromByteOffset: Self.levelsOffset + level * Self.levelStride, as: UnsafeMutableRawPointer?.self))
    }

    @inline(__always)
    func setForward(_ level: Int, _ node: SkipListNode?) {
        raw.storeBytes(of: node?.raw, toByteOffset: Self.levelsOffset + level * Self.levelStride, as: UnsafeMutableRawPointer?.self)
    }

    /// Members passed by following `forward(level)` (Redis's `span`).
    @inline(__always)
    func span(_ level: Int) -> Int {
        raw.load(fromByteOffset: Self.levelsOffset + level * Self.levelStride + 8, as: Int.self)
    }

    @inline(__always)
    func setSpan(_ level: Int, _ span: Int) {
        raw.storeBytes(of: span, toByteOffset: Self.levelsOffset + level * Self.levelStride + 8, as: Int.self)
    }

    /// The member's bytes, valid while the node lives.
    @inline(__always)
    var member: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: raw + Self.levelsOffset + level * Self.levelStride, count: memberLength)
    }

    /// Bytes of the node's block as allocated.
    var allocationSize: Int { Self.allocationSize(level: level, memberLength: memberLength) }
}
