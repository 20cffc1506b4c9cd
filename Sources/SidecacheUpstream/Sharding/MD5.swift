/// MD5 (RFC 1321), only as far as twemproxy uses it: the `md5` key hash is the first word of
/// the digest, and ketama takes four points from the four words of each `name-index` digest.
/// Not for anything that needs a secure hash.
enum MD5 {
    /// The digest as its four little-endian words: word `i` is bytes `4i..<4i+4` of the usual
    /// 16-byte digest read little-endian (what twemproxy's `ketama_hash(key, len, i)` returns).
    static func digestWords(of message: UnsafeRawBufferPointer) -> (UInt32, UInt32, UInt32, UInt32) {
        var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476)
        let wholeBlocks = message.count / 64
        for block in 0..<wholeBlocks {
            compress(&state, UnsafeRawBufferPointer(rebasing: message[(block * 64)..<(block * 64 + 64)]))
        }
        // The tail, 0x80, zeros, and the length in bits: one block, or two when the tail is 56+ bytes.
        let tailCount = message.count - wholeBlocks * 64
        let paddedCount = tailCount < 56 ? 64 : 128
        withUnsafeTemporaryAllocation(byteCount: 128, alignment: 8) { padded in
            padded.initializeMemory(as: UInt8.self, repeating: 0)
            if tailCount > 0 {
                padded.copyMemory(from: UnsafeRawBufferPointer(rebasing: message[(wholeBlocks * 64)...]))
            }
            padded[tailCount] = 0x80
            let bitLength = UInt64(truncatingIfNeeded: message.count) &* 8
            padded.storeBytes(of: bitLength.littleEndian, toByteOffset: paddedCount - 8, as: UInt64.self)
            compress(&state, UnsafeRawBufferPointer(rebasing: padded[0..<64]))
            if paddedCount == 128 { compress(&state, UnsafeRawBufferPointer(rebasing: padded[64..<128])) }
        }
        return state
    }

    private static let shifts: [UInt32] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ]

    /// floor(|sin(i + 1)| * 2^32), as RFC 1321 tabulates it.
    private static let constants: [UInt32] = [
        0xd76a_a478, 0xe8c7_b756, 0x2420_70db, 0xc1bd_ceee,
        0xf57c_0faf, 0x4787_c62a, 0xa830_4613, 0xfd46_9501,
        0x6980_98d8, 0x8b44_f7af, 0xffff_5bb1, 0x895c_d7be,
        0x6b90_1122, 0xfd98_7193, 0xa679_438e, 0x49b4_0821,
        0xf61e_2562, 0xc040_b340, 0x265e_5a51, 0xe9b6_c7aa,
        0xd62f_105d, 0x0244_1453, 0xd8a1_e681, 0xe7d3_fbc8,
        0x21e1_cde6, 0xc337_07d6, 0xf4d5_0d87, 0x455a_14ed,
        0xa9e3_e905, 0xfcef_a3f8, 0x676f_02d9, 0x8d2a_4c8a,
        0xfffa_3942, 0x8771_f681, 0x6d9d_6122, 0xfde5_380c,
        0xa4be_ea44, 0x4bde_cfa9, 0xf6bb_4b60, 0xbebf_bc70,
        0x289b_7ec6, 0xeaa1_27fa, 0xd4ef_3085, 0x0488_1d05,
        0xd9d4_d039, 0xe6db_99e5, 0x1fa2_7cf8, 0xc4ac_5665,
        0xf429_2244, 0x432a_ff97, 0xab94_23a7, 0xfc93_a039,
        0x655b_59c3, 0x8f0c_cc92, 0xffef_f47d, 0x8584_5dd1,
        0x6fa8_7e4f, 0xfe2c_e6e0, 0xa301_4314, 0x4e08_11a1,
        0xf753_7e82, 0xbd3a_f235, 0x2ad7_d2bb, 0xeb86_d391,
    ]

    /// One 64-byte block into the state.
    private static func compress(_ state: inout (UInt32, UInt32, UInt32, UInt32), _ block: UnsafeRawBufferPointer) {
        var (a, b, c, d) = state
        shifts.withUnsafeBufferPointer { shifts in
            constants.withUnsafeBufferPointer { constants in
                for round in 0..<64 {
                    var f: UInt32
                    let g: Int
                    switch round >> 4 {
                    case 0:
                        f = (b & c) | (~b & d)
                        g = round
                    case 1:
                        f = (d & b) | (~d & c)
                        g = (5 &* round &+ 1) & 15
                    case 2:
                        f = b ^ c ^ d
                        g = (3 &* round &+ 5) & 15
                    default:
                        f = c ^ (b | ~d)
                        g = (7 &* round) & 15
                    }
                    let word = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: g * 4, as: UInt32.self))
                    f = f &+ a &+ constants[round] &+ word
                    a = d
                    d = c
                    c = b
                    let s = shifts[round]
                    b = b &+ ((f << s) | (f >> (32 - s)))
                }
            }
        }
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d)
    }
}
