import Testing

/// The BF.* commands over a real connection, their replies as bytes in RESP2 and RESP3 (no
/// RedisBloom binary is at hand to compare with: the expected bytes are RedisBloom's reply
/// calls written out), and their entries in the command table: arity errors, COMMAND INFO.
@Suite(.serialized)
struct BloomCommandsSocketTests {
    /// Requests with the bytes expected in RESP2 and, where they differ, in RESP3.
    struct Exchange {
        var request: [String]
        var resp2: String
        var resp3: String

        init(_ request: String..., reply: String, resp3: String? = nil) {
            self.request = request
            self.resp2 = reply
            self.resp3 = resp3 ?? reply
        }
    }

    static let exchanges: [Exchange] = [
        Exchange("FLUSHALL", reply: "+OK\r\n"),
        Exchange("BF.RESERVE", "b", "0.01", "100", reply: "+OK\r\n"),
        Exchange("BF.ADD", "b", "x", reply: ":1\r\n"),
        Exchange("bf.add", "b", "x", reply: ":0\r\n"),
        Exchange("BF.MADD", "b", "x", "y", reply: "*2\r\n:0\r\n:1\r\n"),
        Exchange("BF.EXISTS", "b", "y", reply: ":1\r\n"),
        Exchange("BF.MEXISTS", "b", "y", "nope", reply: "*2\r\n:1\r\n:0\r\n"),
        Exchange("BF.CARD", "b", reply: ":2\r\n"),
        Exchange(
            "BF.INFO", "b",
            reply: "*10\r\n+Capacity\r\n:100\r\n+Size\r\n:240\r\n+Number of filters\r\n:1\r\n"
                + "+Number of items inserted\r\n:2\r\n+Expansion rate\r\n:2\r\n",
            resp3: "%5\r\n+Capacity\r\n:100\r\n+Size\r\n:240\r\n+Number of filters\r\n:1\r\n"
                + "+Number of items inserted\r\n:2\r\n+Expansion rate\r\n:2\r\n"),
        Exchange("BF.INFO", "b", "ITEMS", reply: "*1\r\n:2\r\n"),
        Exchange("BF.RESERVE", "n", "0.01", "2", "NONSCALING", reply: "+OK\r\n"),
        Exchange("BF.INFO", "n", "expansion", reply: "*1\r\n$-1\r\n", resp3: "*1\r\n_\r\n"),
        Exchange(
            "BF.INFO", "n",
            reply: "*10\r\n+Capacity\r\n:2\r\n+Size\r\n:104\r\n+Number of filters\r\n:1\r\n"
                + "+Number of items inserted\r\n:0\r\n+Expansion rate\r\n$-1\r\n",
            resp3: "%5\r\n+Capacity\r\n:2\r\n+Size\r\n:104\r\n+Number of filters\r\n:1\r\n"
                + "+Number of items inserted\r\n:0\r\n+Expansion rate\r\n_\r\n"),
        Exchange("BF.MADD", "n", "a", "b", "c", "d", reply: "*3\r\n:1\r\n:1\r\n-ERR non scaling filter is full\r\n"),
        Exchange("BF.ADD", "n", "c", reply: "-ERR non scaling filter is full\r\n"),
        Exchange("BF.INSERT", "i", "CAPACITY", "10", "ERROR", "0.1", "ITEMS", "a", "a", reply: "*2\r\n:1\r\n:0\r\n"),
        Exchange("BF.INSERT", "none", "NOCREATE", "ITEMS", "a", reply: "-ERR not found\r\n"),
        Exchange("BF.INSERT", "i", "BOGUS", "ITEMS", "a", reply: "-ERR Unknown argument received\r\n"),
        Exchange("BF.INSERT", "i", "ITEMS", reply: "-ERR wrong number of arguments for 'bf.insert' command\r\n"),
        Exchange("BF.RESERVE", "b", "0.01", "100", reply: "-ERR item exists\r\n"),
        Exchange("BF.RESERVE", "q", "2", "100", reply: "-ERR (0 < error rate range < 1)\r\n"),
        Exchange("BF.RESERVE", "q", "0.1", "0", reply: "-ERR (capacity should be larger than 0)\r\n"),
        Exchange("BF.INFO", "none", reply: "-ERR not found\r\n"),
        Exchange("BF.INFO", "b", "nope", reply: "-ERR Invalid information value\r\n"),
        Exchange("SET", "s", "v", reply: "+OK\r\n"),
        Exchange("BF.ADD", "s", "x", reply: "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        Exchange("BF.EXISTS", "s", "x", reply: ":0\r\n"),
        Exchange("TYPE", "b", reply: "+MBbloom--\r\n"),
        Exchange("OBJECT", "ENCODING", "b", reply: "$3\r\nraw\r\n"),
        Exchange("GET", "b", reply: "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        Exchange("BF.ADD", "b", reply: "-ERR wrong number of arguments for 'bf.add' command\r\n"),
        Exchange("BF.MADD", "b", reply: "-ERR wrong number of arguments for 'bf.madd' command\r\n"),
        Exchange("BF.EXISTS", "b", "x", "y", reply: "-ERR wrong number of arguments for 'bf.exists' command\r\n"),
        Exchange("BF.CARD", reply: "-ERR wrong number of arguments for 'bf.card' command\r\n"),
        Exchange("BF.RESERVE", "b", "0.01", reply: "-ERR wrong number of arguments for 'bf.reserve' command\r\n"),
        Exchange("COMMAND", "INFO", "bf.card", reply: "*1\r\n*10\r\n$7\r\nbf.card\r\n:2\r\n*3\r\n+readonly\r\n+fast\r\n+module\r\n"
            + ":1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@fast\r\n+@bloom\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*1\r\n+RO\r\n"
            + "$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n"
            + "$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n"
            + "$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n", resp3: nil),
        Exchange("COMMAND", "GETKEYS", "BF.INSERT", "k", "ITEMS", "a", reply: "*1\r\n$1\r\nk\r\n"),
    ]

    @Test(arguments: [2, 3])
    func repliesAreRedisBloomsBytes(protocolVersion: Int) async throws {
        try await withTestServer { server in
            let client = try await server.connect()
            if protocolVersion == 3 { _ = try await client.command("HELLO", "3") }
            for exchange in Self.exchanges {
                // COMMAND INFO's RESP3 form has maps and sets; its RESP2 bytes are checked.
                if protocolVersion == 3 && exchange.request.first == "COMMAND" && exchange.request[1] == "INFO" { continue }
                let reply = try await client.pipelineRaw([exchange.request.map { Array($0.utf8) }])[0]
                let expected = protocolVersion == 3 ? exchange.resp3 : exchange.resp2
                #expect(
                    reply == Array(expected.utf8),
                    "RESP\(protocolVersion) \(exchange.request): \(RawDifferential.render(reply)) expected \(RawDifferential.render(Array(expected.utf8)))"
                )
            }
            await client.close()
        }
    }

    /// MULTI/EXEC after WATCH: BF.ADD to the watched key aborts the transaction.
    @Test func bfAddBreaksAWatch() async throws {
        try await withTestServer { server in
            let watcher = try await server.connect()
            let other = try await server.connect()
            _ = try await watcher.command("WATCH", "b")
            _ = try await other.command("BF.ADD", "b", "x")
            _ = try await watcher.command("MULTI")
            _ = try await watcher.command("BF.EXISTS", "b", "x")
            #expect(try await watcher.commandRaw("EXEC") == Array("*-1\r\n".utf8))
            await watcher.close()
            await other.close()
        }
    }
}
