/// LZF compression as Redis's bundled liblzf 3.6 does it (`lzf_c.c`, `lzf_d.c` with Redis's
/// `lzfP.h`: `HLOG` 16, `VERY_FAST` 1, `ULTRA_FAST` 0, offsets in the hash table, checked
/// input), so that compressed DUMP payloads are byte-identical to redis-server's.
///
/// Redis leaves the compressor's hash table uninitialised. That does not change the output:
/// a slot is a function of the 3-byte sequence at a position, and the first occurrence of
/// every sequence is always hashed, so a stale slot can never point at a real match that a
/// zeroed table would have missed. A zeroed table (0 = "no candidate", since liblzf never
/// matches against offset 0) therefore reproduces Redis exactly.
package enum LZF {
    static let maxLiteral = 1 << 5
    static let maxOffset = 1 << 13
    static let maxReference = (1 << 8) + (1 << 3)
    /// The largest ratio of output to input: a 3-byte back reference yields 264 bytes.
    package static let maxExpansion = 88

    /// Compresses `input` into at most `outputLimit` bytes, as `lzf_compress(in, len, out,
    /// outputLimit)`; `nil` when the result would not fit (liblzf returns 0) or `input` is
    /// empty. Redis calls it with `outputLimit = len - 4` so that compression saves 4 bytes.
    package static func compress(_ input: UnsafeRawBufferPointer, outputLimit: Int) -> [UInt8]? {
        guard input.count > 0, outputLimit > 0 else { return nil }
        if input.count <= 4096 {
            var slots = SparseSlots(inputCount: input.count)
            return compress(input, outputLimit: outputLimit, slots: &slots)
        }
        var slots = DenseSlots()
        defer { slots.deallocate() }
        return compress(input, outputLimit: outputLimit, slots: &slots)
    }

    /// Convenience for byte arrays.
    package static func compress(_ input: [UInt8], outputLimit: Int) -> [UInt8]? {
        input.withUnsafeBytes { compress($0, outputLimit: outputLimit) }
    }

    /// The hash of the 3 bytes whose value is the low 24 bits of `hash` (liblzf's `IDX`).
    @inline(__always)
    static func slot(_ hash: UInt32) -> Int {
        Int(((hash >> 8) &- hash &* 5) & 0xffff)
    }

    static func compress<Slots: LZFSlots>(
        _ input: UnsafeRawBufferPointer, outputLimit: Int, slots: inout Slots
    ) -> [UInt8]? {
        let inEnd = input.count
        let p = input.bindMemory(to: UInt8.self)
        let outEnd = outputLimit
        // liblzf writes a few bytes past `out_end` before noticing; keep them in bounds here.
        let out = UnsafeMutablePointer<UInt8>.allocate(capacity: outputLimit + 8)
        defer { out.deallocate() }
        var i = 0
        var op = 1  // byte 0 is reserved for the length of the first literal run
        var lit = 0
        var hash: UInt32 = inEnd >= 2 ? UInt32(p[0]) << 8 | UInt32(p[1]) : 0
        while i < inEnd - 2 {
            hash = hash << 8 | UInt32(p[i + 2])
            let ref = slots.exchange(slot(hash), i)
            if ref > 0, ref < i, i - ref - 1 < maxOffset,
                p[ref + 2] == p[i + 2], p[ref] == p[i], p[ref + 1] == p[i + 1]
            {
                let off = i - ref - 1
                var len = 2
                let maxlen = min(inEnd - i - len, maxReference)
                if op + 3 + 1 >= outEnd, op - (lit == 0 ? 1 : 0) + 3 + 1 >= outEnd { return nil }
                out[op - lit - 1] = UInt8(truncatingIfNeeded: lit - 1)  // stop the run
                if lit == 0 { op -= 1 }  // drop an empty run
                extend: do {
                    // liblzf's unrolled first 16 steps may run past `maxlen`; so does this.
                    if maxlen > 16 {
                        for _ in 0..<16 {
                            len += 1
                            if p[ref + len] != p[i + len] { break extend }
                        }
                    }
                    repeat { len += 1 } while len < maxlen && p[ref + len] == p[i + len]
                }
                len -= 2  // the match length minus 2, as the format stores it
                i += 1
                if len < 7 {
                    out[op] = UInt8((off >> 8) + (len << 5))
                    op += 1
                } else {
                    out[op] = UInt8((off >> 8) + (7 << 5))
                    out[op + 1] = UInt8(len - 7)
                    op += 2
                }
                out[op] = UInt8(truncatingIfNeeded: off)
                op += 1
                lit = 0
                op += 1  // start a run
                i += len + 1
                if i >= inEnd - 2 { break }
                // VERY_FAST: hash the two positions before the end of the match.
                i -= 2
                hash = UInt32(p[i]) << 8 | UInt32(p[i + 1])
                hash = hash << 8 | UInt32(p[i + 2])
                slots.store(slot(hash), i)
                i += 1
                hash = hash << 8 | UInt32(p[i + 2])
                slots.store(slot(hash), i)
                i += 1
            } else {
                if op >= outEnd { return nil }
                lit += 1
                out[op] = p[i]
                op += 1
                i += 1
                if lit == maxLiteral {
                    out[op - lit - 1] = UInt8(lit - 1)
                    lit = 0
                    op += 1
                }
            }
        }
        if op + 3 > outEnd { return nil }
        while i < inEnd {
            lit += 1
            out[op] = p[i]
            op += 1
            i += 1
            if lit == maxLiteral {
                out[op - lit - 1] = UInt8(lit - 1)
                lit = 0
                op += 1
            }
        }
        out[op - lit - 1] = UInt8(truncatingIfNeeded: lit - 1)
        if lit == 0 { op -= 1 }
        return Array(UnsafeBufferPointer(start: out, count: op))
    }

    /// Decompresses `input`, which must expand to exactly `expectedLength` bytes (the length
    /// Redis stores beside LZF data); `nil` for malformed input or any other length. Never
    /// reads or writes out of bounds, and refuses before allocating when `expectedLength`
    /// exceeds what `input` could possibly expand to.
    package static func decompress(_ input: UnsafeRawBufferPointer, expectedLength: Int) -> [UInt8]? {
        guard input.count > 0, expectedLength > 0, expectedLength <= input.count * maxExpansion else { return nil }
        var written: Int? = nil
        let result = [UInt8](unsafeUninitializedCapacity: expectedLength) { out, initialized in
            written = decompress(input.bindMemory(to: UInt8.self), into: out)
            initialized = written == expectedLength ? expectedLength : 0
        }
        return written == expectedLength ? result : nil
    }

    /// `lzf_decompress` with its input checks: the number of bytes written to `out`, or `nil`
    /// when `input` is malformed or does not fit.
    static func decompress(_ input: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        let inEnd = input.count
        let outEnd = out.count
        var ip = 0
        var op = 0
        while ip < inEnd {
            let ctrl = Int(input[ip])
            ip += 1
            if ctrl < 32 {
                // A literal run of ctrl + 1 bytes.
                let count = ctrl + 1
                guard op + count <= outEnd, ip + count <= inEnd else { return nil }
                for k in 0..<count { out[op + k] = input[ip + k] }
                op += count
                ip += count
            } else {
                // A back reference: length in the top 3 bits (7: one more length byte), offset
                // in the low 5 bits and the next byte.
                var len = ctrl >> 5
                guard ip < inEnd else { return nil }
                if len == 7 {
                    len += Int(input[ip])
                    ip += 1
                    guard ip < inEnd else { return nil }
                }
                let ref = op - ((ctrl & 0x1f) << 8) - 1 - Int(input[ip])
                ip += 1
                len += 2
                guard op + len <= outEnd, ref >= 0 else { return nil }
                for k in 0..<len { out[op + k] = out[ref + k] }  // may overlap: byte by byte
                op += len
            }
        }
        return op
    }

    /// Convenience for byte arrays.
    package static func decompress(_ input: [UInt8], expectedLength: Int) -> [UInt8]? {
        input.withUnsafeBytes { decompress($0, expectedLength: expectedLength) }
    }
}

/// The compressor's hash table: 65536 slots of input offsets, 0 when empty.
protocol LZFSlots {
    /// Stores `offset` in `slot` and returns what the slot held before.
    mutating func exchange(_ slot: Int, _ offset: Int) -> Int
    mutating func store(_ slot: Int, _ offset: Int)
}

/// The full table (256 KiB), for large inputs.
struct DenseSlots: LZFSlots {
    let table: UnsafeMutablePointer<UInt32>

    init() {
        table = .allocate(capacity: 1 << 16)
        table.initialize(repeating: 0, count: 1 << 16)
    }

    func deallocate() { table.deallocate() }

    @inline(__always)
    mutating func exchange(_ slot: Int, _ offset: Int) -> Int {
        let previous = Int(table[slot])
        table[slot] = UInt32(truncatingIfNeeded: offset)
        return previous
    }

    @inline(__always)
    mutating func store(_ slot: Int, _ offset: Int) {
        table[slot] = UInt32(truncatingIfNeeded: offset)
    }
}

/// The same table as an open-addressing map holding only the slots an input touches (at most
/// one per input byte), so that compressing a short string does not clear 256 KiB.
struct SparseSlots: LZFSlots {
    var keys: [UInt32]  // slot + 1, 0 when free
    var values: [UInt32]
    let mask: Int

    init(inputCount: Int) {
        var capacity = 16
        while capacity < 2 * inputCount { capacity <<= 1 }
        keys = [UInt32](repeating: 0, count: capacity)
        values = [UInt32](repeating: 0, count: capacity)
        mask = capacity - 1
    }

    @inline(__always)
    func position(_ slot: Int) -> Int {
        var index = (slot &* 0x9e37) & mask
        let key = UInt32(slot + 1)
        while keys[index] != 0 && keys[index] != key { index = (index + 1) & mask }
        return index
    }

    @inline(__always)
    mutating func exchange(_ slot: Int, _ offset: Int) -> Int {
        let index = position(slot)
        let previous = keys[index] == 0 ? 0 : Int(values[index])
        keys[index] = UInt32(slot + 1)
        values[index] = UInt32(truncatingIfNeeded: offset)
        return previous
    }

    @inline(__always)
    mutating func store(_ slot: Int, _ offset: Int) {
        let index = position(slot)
        keys[index] = UInt32(slot + 1)
        values[index] = UInt32(truncatingIfNeeded: offset)
    }
}
