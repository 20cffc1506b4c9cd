extension HyperLogLog.Sparse {
    typealias HLL = HyperLogLog

    /// `hllSparseSet`: raises `register` to `count` in a sparse HLL, splitting the opcode
    /// that covers it and merging equal neighbouring VAL opcodes afterwards, exactly as
    /// redis-server 7.0 does (so the bytes come out the same).
    ///
    /// Returns 1 when the register grew (the cached cardinality is then marked stale), 0
    /// when it already held `count` or more, -1 when the opcodes are corrupt. Promotes the
    /// HLL to dense when `count` exceeds 32 or the opcodes would grow past `maxBytes`.
    static func set(_ bytes: inout [UInt8], register index: Int, to count: Int, maxBytes: Int) -> Int {
        if count > valueMax { return promote(&bytes, register: index, to: count) }

        // Step 1: find the opcode covering `index`.
        var end = bytes.count
        var offset = HLL.headerSize
        var first = 0
        var previous: Int? = nil
        var op = Opcode(value: 0, length: 0, size: 0)
        var found = false
        bytes.withUnsafeBytes { sparse in
            while offset < end {
                op = opcode(sparse, at: offset)
                if index <= first + op.length - 1 {
                    found = true
                    break
                }
                previous = offset
                offset += op.size
                first += op.length
            }
        }
        if op.length == 0 || !found { return -1 }

        // Step 2: the trivial updates in place.
        let isValue = op.value > 0
        if isValue {
            if op.value >= count { return 0 }
            if op.length == 1 {
                bytes[offset] = valueByte(count, length: 1)
                return merged(&bytes, from: previous, end: end)
            }
        }
        if !isValue && op.size == 1 && op.length == 1 {
            bytes[offset] = valueByte(count, length: 1)
            return merged(&bytes, from: previous, end: end)
        }

        // General case: split the opcode into up to three.
        var sequence: [UInt8] = []
        sequence.reserveCapacity(5)
        let last = first + op.length - 1
        if isValue {
            if index != first { sequence.append(valueByte(op.value, length: index - first)) }
            sequence.append(valueByte(count, length: 1))
            if index != last { sequence.append(valueByte(op.value, length: last - index)) }
        } else {
            if index != first { appendZeros(index - first, to: &sequence) }
            sequence.append(valueByte(count, length: 1))
            if index != last { appendZeros(last - index, to: &sequence) }
        }

        // Step 3: put the new sequence in place of the old opcode.
        let delta = sequence.count - op.size
        if delta > 0 && bytes.count + delta > maxBytes { return promote(&bytes, register: index, to: count) }
        let newLength = bytes.count + delta
        bytes.replaceSubrange(offset..<min(offset + op.size, end), with: sequence)
        // An XZERO cut off at the end took its missing byte from past the string: Redis's
        // length change then drops the last byte written.
        if bytes.count > newLength { bytes.removeLast(bytes.count - newLength) }
        end = bytes.count
        return merged(&bytes, from: previous, end: end)
    }

    /// Step 4 of `hllSparseSet`: scanning at most five opcodes from `previous` (or the
    /// first), merges adjacent VAL opcodes of one value whose lengths fit one opcode; then
    /// marks the cached cardinality stale. Returns 1.
    private static func merged(_ bytes: inout [UInt8], from previous: Int?, end: Int) -> Int {
        var end = end
        var offset = previous ?? HLL.headerSize
        var budget = 5
        while offset < end && budget > 0 {
            budget -= 1
            let byte = bytes[offset]
            if byte & 0xC0 == 0x40 {
                offset += 2
                continue
            }
            if byte & 0xC0 == 0 {
                offset += 1
                continue
            }
            if offset + 1 < end && bytes[offset + 1] & 0x80 != 0 {
                let value = Int((byte >> 2) & 0x1F) + 1
                let next = bytes[offset + 1]
                if value == Int((next >> 2) & 0x1F) + 1 {
                    let length = Int(byte & 3) + 1 + Int(next & 3) + 1
                    if length <= valueMaxLength {
                        bytes[offset + 1] = valueByte(value, length: length)
                        bytes.remove(at: offset)
                        end -= 1
                        continue
                    }
                }
            }
            offset += 1
        }
        HLL.invalidateCache(&bytes)
        return 1
    }

    /// The `promote:` path: converts to dense, then sets the register there (it must grow).
    private static func promote(_ bytes: inout [UInt8], register: Int, to count: Int) -> Int {
        guard toDense(&bytes) else { return -1 }
        HLL.Dense.set(&bytes, register: register, to: count)
        return 1
    }
}
