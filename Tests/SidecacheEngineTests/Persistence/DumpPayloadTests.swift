import SidecacheEngine
import Testing

extension PersistenceTests {
    @Suite("DUMP payload codec")
    struct DumpPayloadTests {
        static func field(_ field: String, _ value: String) -> DumpValue.HashField {
            DumpValue.HashField(field: bytes(field), value: bytes(value))
        }

        static func member(_ member: String, _ score: Double) -> DumpValue.ScoredMember {
            DumpValue.ScoredMember(member: bytes(member), score: score)
        }

        /// Values in each encoding the encoder picks, with the type byte it should pick.
        static func samples() -> [(DumpValue, RDBType)] {
            var rng = SplitMix64(seed: 8)
            let longList = (0..<3000).map { bytes("item \($0)") }
            return [
                (.string([]), .string), (.string(bytes("12")), .string), (.string(wordText(5000, rng: &rng)), .string),
                (.string(rng.randomBytes(3000)), .string),
                (.list([bytes("a")]), .listQuicklist2), (.list(longList), .listQuicklist2),
                (.list([rng.randomBytes(10000), bytes("1"), bytes("-1")]), .listQuicklist2),
                (.set(["3", "-1", "2"].map(bytes)), .setIntset), (.set((0..<513).map { RDBNumbers.decimal(Int64($0)) }), .set),
                (.set(["a", "1"].map(bytes)), .set),
                (.hash([field("f", "v"), field("n", "12")]), .hashListpack),
                (.hash((0..<513).map { field("f\($0)", "v") }), .hash),
                (.hash([field("f", String(repeating: "x", count: 65))]), .hash),
                (.sortedSet([member("a", 1), member("b", -0.5), member("c", .infinity)]), .zsetListpack),
                (.sortedSet((0..<129).map { member("m\($0)", Double($0) / 3) }), .zset2),
                (.sortedSet([member(String(repeating: "m", count: 65), 2)]), .zset2),
            ]
        }

        /// `value` with an order that decoding does not keep made canonical: sorted-set members
        /// in Redis's order (as decoding returns them), set members sorted.
        static func canonical(_ value: DumpValue) -> DumpValue {
            switch value {
            case .sortedSet(let members): .sortedSet(members.sorted(by: DumpValue.ScoredMember.precedes))
            case .set(let members): .set(members.sorted { $0.lexicographicallyPrecedes($1) })
            default: value
            }
        }

        @Test func everyTypeRoundTrips() throws {
            for (index, (value, type)) in Self.samples().enumerated() {
                let payload = DumpPayload.encode(value)
                #expect(payload[0] == type.rawValue, "sample \(index)")
                #expect(payload[payload.count - 10] == 10 && payload[payload.count - 9] == 0, "RDB version 10")
                #expect(Self.canonical(try DumpPayload.decode(payload)) == Self.canonical(value), "sample \(index)")
            }
        }

        @Test func limitsChooseTheEncoding() throws {
            var limits = DumpEncodingLimits()
            limits.listMaxListpackSize = 2  // two elements per node
            let list = DumpValue.list(["a", "b", "c", "d", "e"].map(bytes))
            let payload = DumpPayload.encode(list, limits: limits)
            #expect(payload[1] == 3)  // three quicklist nodes
            #expect(try DumpPayload.decode(payload) == list)
            limits.setMaxIntsetEntries = 2
            #expect(DumpPayload.encode(.set(["1", "2", "3"].map(bytes)), limits: limits)[0] == RDBType.set.rawValue)
            limits.hashMaxListpackEntries = 0
            #expect(DumpPayload.encode(.hash([Self.field("f", "v")]), limits: limits)[0] == RDBType.hash.rawValue)
            limits.zsetMaxListpackValue = 0
            #expect(DumpPayload.encode(.sortedSet([Self.member("m", 1)]), limits: limits)[0] == RDBType.zset2.rawValue)
        }

        @Test func legacyAndNewerEncodingsDecode() throws {
            let elements: [PackedEntry] = [.string(bytes("a")), .integer(12), .string(bytes("b")), .integer(-3)]
            let ziplist = LegacyEncodings.ziplist(elements)
            var listpackWriter = ListpackWriter()
            for element in ["x", "10", "y"] { listpackWriter.append(bytes(element)) }
            let listpack = listpackWriter.finish()
            let cases: [([UInt8], DumpValue)] = [
                (
                    LegacyEncodings.body(.list) { w in
                        w.writeLength(2)
                        w.writeString(bytes("a"))
                        w.writeString(bytes("12"))
                    }, .list(["a", "12"].map(bytes))
                ),
                (LegacyEncodings.body(.listZiplist) { $0.writeString(ziplist) }, .list(["a", "12", "b", "-3"].map(bytes))),
                (
                    LegacyEncodings.body(.listQuicklist) { w in
                        w.writeLength(3)
                        w.writeString(ziplist)
                        w.writeString(LegacyEncodings.ziplist([]))  // empty nodes are skipped
                        w.writeString(ziplist)
                    }, .list(Array(repeating: ["a", "12", "b", "-3"].map(bytes), count: 2).flatMap { $0 })
                ),
                (
                    LegacyEncodings.body(.listQuicklist2) { w in
                        w.writeLength(2)
                        w.writeLength(1)  // a plain node
                        w.writeString(bytes("plain"))
                        w.writeLength(2)
                        w.writeString(listpack)
                    }, .list(["plain", "x", "10", "y"].map(bytes))
                ),
                (LegacyEncodings.body(.setListpack) { $0.writeString(listpack) }, .set(["x", "10", "y"].map(bytes))),
                (LegacyEncodings.body(.hashZiplist) { $0.writeString(ziplist) }, .hash([Self.field("a", "12"), Self.field("b", "-3")])),
                (
                    LegacyEncodings.body(.hashZipmap) { $0.writeString(LegacyEncodings.zipmap([(bytes("f"), bytes("v"))])) },
                    .hash([Self.field("f", "v")])
                ),
                (
                    LegacyEncodings.body(.zsetZiplist) {
                        $0.writeString(LegacyEncodings.ziplist([.string(bytes("m")), .string(bytes("1.5")), .string(bytes("n")), .integer(-2)]))
                    },
                    .sortedSet([Self.member("n", -2), Self.member("m", 1.5)])
                ),
                (
                    LegacyEncodings.body(.zset) { w in
                        w.writeLength(3)
                        w.writeString(bytes("a"))
                        ([3] + bytes("2.5")).withUnsafeBytes { w.writeRaw($0) }
                        w.writeString(bytes("b"))
                        [UInt8(254)].withUnsafeBytes { w.writeRaw($0) }  // +inf
                        w.writeString(bytes("c"))
                        [UInt8(255)].withUnsafeBytes { w.writeRaw($0) }  // -inf
                    }, .sortedSet([Self.member("c", -.infinity), Self.member("a", 2.5), Self.member("b", .infinity)])
                ),
            ]
            for (index, (body, value)) in cases.enumerated() {
                #expect(try DumpPayload.decode(LegacyEncodings.payload(body)) == value, "case \(index)")
            }
        }

        @Test func newerRDBVersionsAreAcceptedUpTo12() throws {
            let body = [UInt8](DumpPayload.encode(.string(bytes("v"))).dropLast(10))
            for version: UInt16 in [0, 9, 10, 11, 12] {
                #expect(try DumpPayload.decode(LegacyEncodings.payload(body, version: version)) == .string(bytes("v")))
            }
            for version: UInt16 in [13, 0xffff] {
                let error = #expect(throws: DumpPayloadError.self) {
                    try DumpPayload.decode(LegacyEncodings.payload(body, version: version))
                }
                #expect(error?.kind == .versionOrChecksum)
            }
        }

        @Test func errorsCarryRedisReplies() {
            #expect(DumpPayloadError(.versionOrChecksum, "x").redisMessage == "ERR DUMP payload version or checksum are wrong")
            #expect(DumpPayloadError(.badDataFormat, "x").redisMessage == "ERR Bad data format")
        }

        @Test func truncatedPayloadsThrow() {
            var rng = SplitMix64(seed: 9)
            for (value, _) in Self.samples().prefix(8) {
                let payload = DumpPayload.encode(value)
                for length in Set(
                    [0, 1, 9, 10, 11, payload.count / 2, payload.count - 1] + (0..<30).map { _ in Int(rng.next() % UInt64(payload.count)) })
                {
                    #expect(throws: DumpPayloadError.self) { try DumpPayload.decode(Array(payload.prefix(length))) }
                    // Resealed with a valid footer, the body alone is truncated.
                    if length < payload.count - 10 {
                        let body = Array(payload.prefix(length))
                        let error = #expect(throws: DumpPayloadError.self) { try DumpPayload.decode(LegacyEncodings.payload(body)) }
                        #expect(error?.kind == .badDataFormat)
                    }
                }
            }
        }

        @Test func corruptedBytesNeverTrap() {
            // A flipped byte breaks the checksum; resealed, it reaches the body parsers, which
            // must either refuse it or decode some value, never trap.
            var rng = SplitMix64(seed: 10)
            for (value, _) in Self.samples() {
                let payload = DumpPayload.encode(value)
                var flipped = payload
                flipped[Int(rng.next() % UInt64(payload.count - 10))] ^= 0x40
                let error = #expect(throws: DumpPayloadError.self) { try DumpPayload.decode(flipped) }
                #expect(error?.kind == .versionOrChecksum)
                for _ in 0..<60 {
                    var corrupted = payload
                    let position = Int(rng.next() % UInt64(payload.count - 10))
                    corrupted[position] = UInt8(truncatingIfNeeded: rng.next())
                    _ = try? DumpPayload.decode(LegacyEncodings.resealed(corrupted))
                }
            }
            for _ in 0..<3000 {
                let body = [UInt8(rng.next() % 22)] + rng.randomBytes(Int(rng.next() % 24))
                _ = try? DumpPayload.decode(LegacyEncodings.payload(body))
            }
        }

        @Test func bogusHugeLengthsThrowWithoutAllocating() {
            let huge: [UInt8] = [0x81, 0x3f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]  // 64-bit length 2^62-1
            let bodies: [[UInt8]] = [
                [RDBType.string.rawValue] + huge,
                [RDBType.string.rawValue, 0x80, 0xff, 0xff, 0xff, 0xff],
                [RDBType.string.rawValue, 0xc3, 0x02] + huge + [0x00, 0x61],  // LZF claiming 2^62 bytes
                [RDBType.string.rawValue, 0xc3, 0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x05],
                [RDBType.list.rawValue] + huge + [0x01, 0x61],
                [RDBType.set.rawValue] + huge,
                [RDBType.hash.rawValue] + huge,
                [RDBType.zset2.rawValue] + huge,
                [RDBType.listQuicklist2.rawValue] + huge,
                [RDBType.listQuicklist2.rawValue, 0x01, 0x02] + huge,
                [RDBType.setIntset.rawValue, 0x08, 0x02, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0x7f],
                [RDBType.hashListpack.rawValue, 0x07, 0xff, 0xff, 0xff, 0x7f, 0x00, 0x00, 0xff],
                [RDBType.string.rawValue, 0xc4],  // unknown string encoding
                [RDBType.string.rawValue, 0x82, 0x00],  // unknown length encoding
            ]
            for (index, body) in bodies.enumerated() {
                let error = #expect(throws: DumpPayloadError.self, "body \(index)") { try DumpPayload.decode(LegacyEncodings.payload(body)) }
                #expect(error?.kind == .badDataFormat, "body \(index)")
            }
        }

        @Test func invalidContentsAreBadDataFormat() {
            let bodies: [(String, [UInt8])] = [
                ("trailing byte", [UInt8](DumpPayload.encode(.string(bytes("v"))).dropLast(10)) + [0]),
                ("empty list", LegacyEncodings.body(.list) { $0.writeLength(0) }),
                (
                    "empty quicklist",
                    LegacyEncodings.body(.listQuicklist2) { w in
                        w.writeLength(1)
                        w.writeLength(2)
                        w.writeString(ListpackWriter().finish())
                    }
                ),
                (
                    "bad container",
                    LegacyEncodings.body(.listQuicklist2) { w in
                        w.writeLength(1)
                        w.writeLength(3)
                        w.writeString(bytes("x"))
                    }
                ),
                ("empty set", LegacyEncodings.body(.set) { $0.writeLength(0) }),
                (
                    "duplicate member",
                    LegacyEncodings.body(.set) { w in
                        w.writeLength(2)
                        w.writeString(bytes("a"))
                        w.writeString(bytes("a"))
                    }
                ),
                (
                    "duplicate field",
                    LegacyEncodings.body(.hash) { w in
                        w.writeLength(2)
                        for text in ["f", "1", "f", "2"] { w.writeString(bytes(text)) }
                    }
                ),
                (
                    "odd hash listpack",
                    LegacyEncodings.body(.hashListpack) { w in
                        var listpack = ListpackWriter()
                        listpack.append(bytes("f"))
                        w.writeString(listpack.finish())
                    }
                ),
                (
                    "NaN score",
                    LegacyEncodings.body(.zset2) { w in
                        w.writeLength(1)
                        w.writeString(bytes("m"))
                        w.writeBinaryDouble(.nan)
                    }
                ),
                (
                    "text score",
                    LegacyEncodings.body(.zsetListpack) { w in
                        var listpack = ListpackWriter()
                        listpack.append(bytes("m"))
                        listpack.append(bytes("1.5x"))
                        w.writeString(listpack.finish())
                    }
                ),
                ("stream", [RDBType.streamListpacks2.rawValue, 0]),
                ("hash with field expiry", [RDBType.hashListpackEx.rawValue, 0]),
                ("unknown type", [8, 0]),
            ]
            for (name, body) in bodies {
                let error = #expect(throws: DumpPayloadError.self, "\(name)") { try DumpPayload.decode(LegacyEncodings.payload(body)) }
                #expect(error?.kind == .badDataFormat, "\(name)")
            }
        }
    }
}
