import SidecacheEngine
import Testing

extension PersistenceTests {
    @Suite("CRC64")
    struct CRC64Tests {
        /// Bit by bit, as `_crc64` in Redis's crc64.c (unreflected register, reflected at the end).
        static func reference(_ bytes: [UInt8]) -> UInt64 {
            var crc: UInt64 = 0
            for byte in bytes {
                var bit: UInt8 = 1
                while bit != 0 {
                    var top = crc & 0x8000_0000_0000_0000 != 0
                    if byte & bit != 0 { top.toggle() }
                    crc <<= 1
                    if top { crc ^= 0xad93_d235_94c9_35a9 }
                    bit <<= 1
                }
            }
            var reflected: UInt64 = 0
            for index in 0..<64 where crc & (1 << UInt64(index)) != 0 { reflected |= 1 << UInt64(63 - index) }
            return reflected
        }

        @Test func checkValue() {
            #expect(CRC64.checksum(bytes("123456789")) == 0xe9c6_d914_c4b8_d9ca)
            #expect(CRC64.checksum([]) == 0)
        }

        @Test func matchesTheBitwiseDefinitionAtEveryLength() {
            var rng = SplitMix64(seed: 1)
            for length in 0..<80 {
                let data = rng.randomBytes(length)
                #expect(CRC64.checksum(data) == Self.reference(data), "length \(length)")
            }
        }

        @Test func continuesAcrossChunks() {
            var rng = SplitMix64(seed: 2)
            let data = rng.randomBytes(1000)
            for split in [0, 1, 7, 8, 9, 500, 999, 1000] {
                let first = CRC64.checksum(Array(data[..<split]))
                #expect(CRC64.checksum(Array(data[split...]), continuing: first) == CRC64.checksum(data))
            }
        }
    }
}
