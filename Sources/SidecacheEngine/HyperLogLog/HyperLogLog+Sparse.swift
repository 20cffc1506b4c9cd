extension HyperLogLog {
    /// The sparse representation: opcodes after the header, covering the registers in order.
    /// ZERO `00xxxxxx` is 1…64 zero registers, XZERO `01xxxxxx yyyyyyyy` 1…16384 zero
    /// registers, VAL `1vvvvvxx` 1…4 registers of value 1…32.
    enum Sparse {
        static let zeroMaxLength = 64
        static let valueMaxLength = 4
        static let valueMax = 32

        /// One opcode: `value` 0 for ZERO/XZERO, its `length` in registers, its size in bytes.
        struct Opcode {
            var value: Int
            var length: Int
            var size: Int
        }

        /// The opcode at `offset`. The second byte of an XZERO cut off at the end reads as 0,
        /// as Redis reads the string's terminating zero there.
        @inline(__always)
        static func opcode(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Opcode {
            let byte = Int(bytes[offset])
            if byte & 0xC0 == 0 { return Opcode(value: 0, length: (byte & 0x3F) + 1, size: 1) }
            if byte & 0x80 != 0 { return Opcode(value: ((byte >> 2) & 0x1F) + 1, length: (byte & 3) + 1, size: 1) }
            let low = offset + 1 < bytes.count ? Int(bytes[offset + 1]) : 0
            return Opcode(value: 0, length: ((byte & 0x3F) << 8 | low) + 1, size: 2)
        }

        /// Calls `body` with each opcode in order.
        static func forEachOpcode(_ bytes: UnsafeRawBufferPointer, _ body: (Opcode) -> Void) {
            var offset = headerSize
            while offset < bytes.count {
                let op = opcode(bytes, at: offset)
                body(op)
                offset += op.size
            }
        }

        static func writeXZero(_ length: Int, into bytes: inout [UInt8], at offset: Int) {
            bytes[offset] = UInt8(truncatingIfNeeded: (length - 1) >> 8) | 0x40
            bytes[offset + 1] = UInt8(truncatingIfNeeded: length - 1)
        }

        static func valueByte(_ value: Int, length: Int) -> UInt8 {
            UInt8(truncatingIfNeeded: (value - 1) << 2 | (length - 1)) | 0x80
        }

        /// A run of zero registers as ZERO or XZERO.
        static func appendZeros(_ length: Int, to sequence: inout [UInt8]) {
            if length > zeroMaxLength {
                sequence.append(UInt8(truncatingIfNeeded: (length - 1) >> 8) | 0x40)
                sequence.append(UInt8(truncatingIfNeeded: length - 1))
            } else {
                sequence.append(UInt8(length - 1))
            }
        }

        /// `hllSparseToDense`: rewrites a sparse HLL as dense, keeping the header (the
        /// cached cardinality included). Returns false, leaving `bytes` alone, when the
        /// opcodes do not cover exactly 16384 registers. A dense HLL is left as it is.
        static func toDense(_ bytes: inout [UInt8]) -> Bool {
            guard bytes[4] == sparseEncoding else { return true }
            var dense = [UInt8](repeating: 0, count: denseSize)
            for offset in 0..<headerSize { dense[offset] = bytes[offset] }
            dense[4] = denseEncoding
            var register = 0
            let valid = bytes.withUnsafeBytes { sparse in
                var offset = headerSize
                while offset < sparse.count {
                    let op = opcode(sparse, at: offset)
                    offset += op.size
                    if op.value == 0 {
                        register += op.length
                        continue
                    }
                    // A VAL past the last register makes the HLL corrupt even if the
                    // opcodes before it covered every register (redis-server 7.0.15).
                    if register + op.length > registerCount { return false }
                    for _ in 0..<op.length {
                        Dense.write(&dense, register: register, value: op.value)
                        register += 1
                    }
                }
                return register == registerCount
            }
            guard valid else { return false }
            bytes = dense
            return true
        }

        /// Adds the registers to `histogram` (`hllSparseRegHisto`); returns false when the
        /// opcodes do not cover exactly 16384 registers.
        static func addHistogram(_ bytes: UnsafeRawBufferPointer, into histogram: inout [Int]) -> Bool {
            var register = 0
            forEachOpcode(bytes) { op in
                register += op.length
                histogram[op.value] += op.length
            }
            return register == registerCount
        }

        /// Raises each of `maximums` to the register's value (`hllMerge`); returns false when
        /// the opcodes are corrupt.
        static func merge(_ bytes: UnsafeRawBufferPointer, into maximums: inout [UInt8]) -> Bool {
            var register = 0
            var offset = headerSize
            while offset < bytes.count {
                let op = opcode(bytes, at: offset)
                offset += op.size
                if op.value == 0 {
                    register += op.length
                    continue
                }
                if register + op.length > registerCount { return false }
                for _ in 0..<op.length {
                    if op.value > maximums[register] { maximums[register] = UInt8(op.value) }
                    register += 1
                }
            }
            return register == registerCount
        }
    }
}
