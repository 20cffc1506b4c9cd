import SidecacheEngine

extension PersistenceTests {
    /// Writers for encodings this codec only reads (ziplists, zipmaps) and for whole payloads,
    /// so that tests can build what older or newer Redis versions send.
    enum LegacyEncodings {
        /// A ziplist as `ziplistPush` builds it, choosing the smallest encoding per entry.
        static func ziplist(_ entries: [PackedEntry]) -> [UInt8] {
            var body: [UInt8] = []
            var previousSize = 0
            var tail = 10
            for entry in entries {
                let start = body.count
                tail = 10 + start
                if previousSize < 254 {
                    body.append(UInt8(previousSize))
                } else {
                    body.append(254)
                    body += littleEndian(UInt64(previousSize), 4)
                }
                switch entry {
                case .integer(let value):
                    switch value {
                    case 0...12: body.append(0xf1 + UInt8(value))
                    case -128...127: body += [0xfe] + littleEndian(UInt64(bitPattern: value), 1)
                    case -32768...32767: body += [0xc0] + littleEndian(UInt64(bitPattern: value), 2)
                    case -8_388_608...8_388_607: body += [0xf0] + littleEndian(UInt64(bitPattern: value), 3)
                    case -2_147_483_648...2_147_483_647: body += [0xd0] + littleEndian(UInt64(bitPattern: value), 4)
                    default: body += [0xe0] + littleEndian(UInt64(bitPattern: value), 8)
                    }
                case .string(let bytes):
                    let length = bytes.count
                    if length <= 63 {
                        body.append(UInt8(length))
                    } else if length <= 16383 {
                        body += [0x40 | UInt8(length >> 8), UInt8(length & 0xff)]
                    } else {
                        body += [0x80, UInt8(length >> 24), UInt8((length >> 16) & 0xff), UInt8((length >> 8) & 0xff), UInt8(length & 0xff)]
                    }
                    body += bytes
                }
                previousSize = body.count - start
            }
            let total = 10 + body.count + 1
            return littleEndian(UInt64(total), 4) + littleEndian(UInt64(tail), 4)
                + littleEndian(UInt64(min(entries.count, 65535)), 2) + body + [0xff]
        }

        /// A zipmap (Redis 2.4 hashes); `free` unused bytes follow each value.
        static func zipmap(_ pairs: [([UInt8], [UInt8])], free: Int = 0) -> [UInt8] {
            func length(_ count: Int) -> [UInt8] {
                count < 254 ? [UInt8(count)] : [254] + littleEndian(UInt64(count), 4)
            }
            var blob: [UInt8] = [UInt8(min(pairs.count, 254))]
            for (field, value) in pairs {
                blob += length(field.count) + field + length(value.count) + [UInt8(free)] + value
                blob += [UInt8](repeating: 0, count: free)
            }
            return blob + [0xff]
        }

        /// A payload for `body` (type byte included) with RDB `version` and a correct CRC64.
        static func payload(_ body: [UInt8], version: UInt16 = 10) -> [UInt8] {
            var bytes = body + [UInt8(version & 0xff), UInt8(version >> 8)]
            bytes += littleEndian(CRC64.checksum(bytes), 8)
            return bytes
        }

        /// `payload` with its CRC64 recomputed (after a test changed the body or version).
        static func resealed(_ payload: [UInt8]) -> [UInt8] {
            let unsealed = Array(payload.dropLast(8))
            return unsealed + littleEndian(CRC64.checksum(unsealed), 8)
        }

        /// A body: type byte, then what `build` writes.
        static func body(_ type: RDBType, _ build: (inout RDBWriter) -> Void) -> [UInt8] {
            var writer = RDBWriter()
            writer.writeByte(type.rawValue)
            build(&writer)
            return writer.bytes
        }

        static func littleEndian(_ value: UInt64, _ count: Int) -> [UInt8] {
            (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
        }
    }
}
