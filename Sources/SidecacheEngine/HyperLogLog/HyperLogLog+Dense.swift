extension HyperLogLog {
    /// The dense representation: 16384 six-bit registers after the header, each stored from
    /// the least significant bit of its first byte on (`HLL_DENSE_GET_REGISTER`).
    enum Dense {
        /// The value of `register` in the dense registers that start at `bytes[headerSize]`.
        /// The last register's second byte lies past the end (Redis reads sds's terminating
        /// zero there); it contributes no bits, so it reads as 0.
        @inline(__always)
        static func get(_ bytes: UnsafeRawBufferPointer, register: Int) -> Int {
            let bit = register * 6
            let byte = headerSize + bit / 8
            let shift = bit & 7
            let low = Int(bytes[byte]) >> shift
            let high = byte + 1 < bytes.count ? Int(bytes[byte + 1]) << (8 - shift) : 0
            return (low | high) & registerMax
        }

        /// `hllDenseSet`: raises `register` to `count` if it is lower. Returns whether it changed.
        @discardableResult
        static func set(_ bytes: inout [UInt8], register: Int, to count: Int) -> Bool {
            let old = bytes.withUnsafeBytes { get($0, register: register) }
            guard count > old else { return false }
            write(&bytes, register: register, value: count)
            return true
        }

        /// `HLL_DENSE_SET_REGISTER`: stores `value` (0…63) in `register`.
        static func write(_ bytes: inout [UInt8], register: Int, value: Int) {
            let bit = register * 6
            let byte = headerSize + bit / 8
            let shift = bit & 7
            bytes[byte] &= ~UInt8(truncatingIfNeeded: registerMax << shift)
            bytes[byte] |= UInt8(truncatingIfNeeded: value << shift)
            if byte + 1 < bytes.count {
                bytes[byte + 1] &= ~UInt8(truncatingIfNeeded: registerMax >> (8 - shift))
                bytes[byte + 1] |= UInt8(truncatingIfNeeded: value >> (8 - shift))
            }
        }

        /// Adds the registers to `histogram` (`hllDenseRegHisto`): 16 registers per 12 bytes.
        static func addHistogram(_ bytes: UnsafeRawBufferPointer, into histogram: inout [Int]) {
            var offset = headerSize
            for _ in 0..<(registerCount / 16) {
                for group in 0..<4 {
                    let b0 = Int(bytes[offset + group * 3])
                    let b1 = Int(bytes[offset + group * 3 + 1])
                    let b2 = Int(bytes[offset + group * 3 + 2])
                    histogram[b0 & 63] += 1
                    histogram[(b0 >> 6 | b1 << 2) & 63] += 1
                    histogram[(b1 >> 4 | b2 << 4) & 63] += 1
                    histogram[(b2 >> 2) & 63] += 1
                }
                offset += 12
            }
        }

        /// Raises each of `maximums` (one byte per register) to the register's value (`hllMerge`).
        static func merge(_ bytes: UnsafeRawBufferPointer, into maximums: inout [UInt8]) {
            for register in 0..<registerCount {
                let value = UInt8(get(bytes, register: register))
                if value > maximums[register] { maximums[register] = value }
            }
        }
    }
}
