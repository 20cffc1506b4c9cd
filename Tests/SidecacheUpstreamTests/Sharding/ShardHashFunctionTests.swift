import SidecacheUpstream
import Testing

/// Each hash against vectors from twemproxy's own hash code (src/hashkit/nc_*.c compiled with
/// gcc on x86-64, where `char` is signed), and against published values where they exist.
/// `NutcrackerDistributionTests` then checks every hash end to end against a running nutcracker.
@Suite struct ShardHashFunctionTests {
    /// The inputs, in the order of every row of `expected`.
    static let inputs: [[UInt8]] = [
        Array("".utf8),
        Array("a".utf8),
        Array("ab".utf8),
        Array("abc".utf8),
        Array("abcd".utf8),
        Array("abcde".utf8),
        Array("123456789".utf8),
        Array("hello world".utf8),
        Array("foo:bar:baz:1".utf8),
        Array("0123456789abcdefghijklmn".utf8),
        Array("The quick brown fox jumps over the lazy dog".utf8),
        [0x80],
        [0xff, 0xfe],
        [0x61, 0x62, 0xc3],
        [0xc3, 0xa9, 0x74, 0xc3, 0xa9],
        [0x6b, 0x65, 0x79, 0x80, 0x81, 0x82, 0xff, 0x00, 0x7a],
    ]

    static let expected: [ShardHashFunction: [UInt32]] = [
        .oneAtATime: [
            0x0000_0000, 0xca2e_9442, 0x45e6_1e58, 0xed13_1f5b, 0xcd8b_6206, 0xb985_59fc,
            0xc66b_58c5, 0x3e4a_5a57, 0xf559_3167, 0xe868_1d0d, 0x519e_91f5, 0xc31d_4e27,
            0xdb2c_b862, 0xea35_996c, 0x7fcb_4b35, 0xb4a1_e54b,
        ],
        .md5: [
            0xd98c_1dd4, 0xb975_c10c, 0x43f4_7e18, 0x9850_0190, 0x4c71_fce2, 0xd9b4_56ab,
            0x94e7_f925, 0xbb3b_b65e, 0x0fc0_06ca, 0xdbce_87e7, 0x9d7d_109e, 0x7edd_398d,
            0x0157_b2f3, 0xb72a_53fa, 0x1e6a_afde, 0x52be_e914,
        ],
        .crc16: [
            0x0000_0000, 0x0000_7c87, 0x007c_74ff, 0x7c74_9dd6, 0x749d_a836, 0x9da8_3ee1,
            0x8690_31c3, 0xf206_3be4, 0x733e_1cef, 0x8fc9_a90d, 0x22a3_f0c8, 0x0000_9188,
            0x001e_0d2e, 0x7c74_283c, 0xe626_a767, 0xe343_ea7a,
        ],
        .crc32: [
            0x0000_0000, 0x0000_68b7, 0x0000_1e83, 0x0000_3524, 0x0000_6d82, 0x0000_0587,
            0x0000_4bf4, 0x0000_0d4a, 0x0000_3ae2, 0x0000_6098, 0x0000_414f, 0x0000_3fba,
            0x0000_08f8, 0x0000_63f2, 0x0000_44d1, 0x0000_02ea,
        ],
        .crc32a: [
            0x0000_0000, 0xe8b7_be43, 0x9e83_486d, 0x3524_41c2, 0xed82_cd11, 0x8587_d865,
            0xcbf4_3926, 0x0d4a_1185, 0xbae2_ab37, 0x6098_50ad, 0x414f_a339, 0x3fba_6cad,
            0x88f8_3096, 0xe3f2_e22a, 0x44d1_6cd4, 0x02ea_6f75,
        ],
        .fnv1_64: [
            0x8422_2325, 0x8601_b7be, 0xb4eb_37b8, 0x6baf_adcb, 0xfb84_4f95, 0x61d3_3a4a,
            0x2bf9_16d6, 0xb191_0e6f, 0xe4f5_c6e8, 0x7397_0529, 0x7de3_7ace, 0x79fe_485f,
            0xb4eb_719e, 0x9450_526b, 0xee20_2e17, 0xaaeb_b4a4,
        ],
        .fnv1a_64: [
            0x8422_2325, 0x8601_ec8c, 0xb545_986a, 0x0541_574b, 0xee07_24dd, 0x7623_64a8,
            0x23c6_cdfc, 0x023c_d2e7, 0xde99_7542, 0x7226_c9ed, 0xe7e4_7110, 0x79fd_ec5f,
            0xb4ee_4fb0, 0xfabe_242b, 0xea76_9c57, 0x2193_0446,
        ],
        .fnv1_32: [
            0x811c_9dc5, 0x050c_5d7e, 0x7077_2d38, 0x439c_2f4b, 0xb9de_7375, 0x0e2f_c14a,
            0x2414_8816, 0x548d_a96f, 0x8f1b_c808, 0xeeb3_ed29, 0xe9c8_6c6e, 0xfaf3_a29f,
            0x1276_995e, 0xbc63_d0eb, 0xbebb_7c97, 0x229e_b184,
        ],
        .fnv1a_32: [
            0x811c_9dc5, 0xe40c_292c, 0x4d25_05ca, 0x1a47_e90b, 0xce34_79bd, 0x749b_cf08,
            0xbb86_b11c, 0xd58b_3fa7, 0x56e4_edc2, 0xe90a_c42d, 0x048f_ff90, 0x04f3_b29f,
            0x3579_0f10, 0x97b7_9c2b, 0x0bee_a017, 0x48d6_bb86,
        ],
        .hsieh: [
            0x0000_0000, 0x9364_2e87, 0x5b8c_0ec3, 0xe518_6b3a, 0x3ab4_52d8, 0x8478_6722,
            0xe4fc_1670, 0x4f79_9873, 0x6058_98e9, 0xb661_aa02, 0x1c19_ee97, 0xd6f4_cb32,
            0xcc30_d943, 0x3d39_451e, 0xcc95_5977, 0x99a4_3f08,
        ],
        .murmur: [
            0x0000_0000, 0x4b41_757c, 0xe3b5_4dfb, 0x7b0c_c428, 0xef6a_86af, 0x9a26_3eda,
            0xb776_0690, 0x5e19_153b, 0x7454_dd4b, 0x7f53_9687, 0x30c7_9125, 0x9055_6245,
            0x0693_f8a9, 0xd8ff_6ccd, 0xda71_0acb, 0x51d8_7919,
        ],
        .jenkins: [
            0xdead_befc, 0xe0a3_8690, 0xc1b5_695b, 0x8f41_5600, 0xd512_151a, 0x5cff_335b,
            0x1977_7af6, 0x1533_43fb, 0x5ffb_cc28, 0x98c9_9d58, 0x12b8_163c, 0xb16f_de48,
            0x0745_33dd, 0xefc4_53db, 0x8946_6c13, 0xc8a0_4c99,
        ],
    ]

    @Test(arguments: ShardHashFunction.allCases)
    func matchesTwemproxy(_ function: ShardHashFunction) throws {
        let expected = try #require(Self.expected[function])
        #expect(expected.count == Self.inputs.count)
        for (input, value) in zip(Self.inputs, expected) {
            #expect(function.hash(input) == value, "\(function.name)(\(input))")
        }
    }

    @Test func publishedVectors() {
        let check = Array("123456789".utf8)
        #expect(ShardHashFunction.crc32a.hash(check) == 0xCBF4_3926)  // CRC-32/ISO-HDLC check value
        #expect(ShardHashFunction.crc16.hash(check) & 0xffff == 0x31C3)  // CRC-16/XMODEM check value
        #expect(ShardHashFunction.fnv1a_32.hash(Array("a".utf8)) == 0xE40C_292C)
        #expect(ShardHashFunction.fnv1_32.hash([]) == 0x811C_9DC5)
        #expect(ShardHashFunction.oneAtATime.hash(Array("a".utf8)) == 0xCA2E_9442)
        let fox = Array("The quick brown fox jumps over the lazy dog".utf8)
        #expect(ShardHashFunction.oneAtATime.hash(fox) == 0x519E_91F5)
        // MD5 of "" is d41d8cd98f00b204e9800998ecf8427e: its first four bytes, little-endian.
        #expect(ShardHashFunction.md5.hash([]) == 0xD98C_1DD4)
    }

    /// The quirks that make twemproxy's hashes differ from the textbook ones.
    @Test func twemproxyQuirks() {
        // crc16 keeps CRC-16/XMODEM in a 32-bit register that is never masked: above the CRC
        // are the bits its shifts pushed out, so the value is not 16 bits wide.
        #expect(ShardHashFunction.crc16.hash(Array("123456789".utf8)) == 0x8690_31C3)
        let key = Array("123456789".utf8)
        // crc32 is libmemcached's: bits 16...30 of the real CRC-32.
        #expect(ShardHashFunction.crc32.hash(key) == (0xCBF4_3926 >> 16) & 0x7fff)
        // fnv1a_64 runs FNV-1a with 32-bit state: the low half of the textbook 64-bit FNV-1a
        // (0xaf63dc4c8601ec8c for "a") for ASCII keys...
        #expect(ShardHashFunction.fnv1a_64.hash(Array("a".utf8)) == 0x8601_EC8C)
        // ...but a byte of 0x80 or more enters sign-extended (0xFFFFFF80, not 0x80), as in
        // every FNV and in one_at_a_time: C's `char` is signed.
        #expect(ShardHashFunction.fnv1a_32.hash([0x80]) == (0x811C_9DC5 ^ 0xFFFF_FF80 as UInt32) &* 16_777_619)
        #expect(ShardHashFunction.fnv1a_32.hash([0x80]) != (0x811C_9DC5 ^ 0x80 as UInt32) &* 16_777_619)
    }
}
