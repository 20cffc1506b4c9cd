import Foundation
import Testing

/// The read and cache endpoints over real HTTP against a running server.
@Suite struct MonitoringEndpointTests {
    @Test func healthAndReadiness() async throws {
        try await withAdmin { admin in
            let health = try await admin.request("GET", "/healthz", token: nil)
            #expect(health.status == 200)
            #expect(health.json["status"] as? String == "ok")
            let ready = try await admin.request("GET", "/readyz", token: nil)
            #expect(ready.status == 200)
            #expect(ready.json["ready"] as? Bool == true)
            let checks = ready.json["checks"] as? [String: Bool]
            #expect(checks == ["listener": true, "configuration": true, "upstream": true])
        }
    }

    @Test func readinessFailsWhileTheUpstreamIsUnreachable() async throws {
        // Nothing listens on port 1; the health check counts the failed connections.
        try await withAdmin(yaml: "upstream:\n  mode: single\n  nodes: [\"127.0.0.1:1\"]\n") { admin in
            let connection = try RESPTestConnection(port: admin.respPort)
            _ = try connection.command("GET", "k")
            let ready = try await admin.request("GET", "/readyz", token: nil)
            #expect(ready.status == 503)
            #expect((ready.json["checks"] as? [String: Bool])?["upstream"] == false)
            let upstreams = try await admin.request("GET", "/v1/upstreams")
            #expect(upstreams.json["mode"] as? String == "single")
            let nodes = upstreams.json["nodes"] as? [[String: Any]] ?? []
            #expect(nodes.count == 1)
            #expect(nodes.first?["address"] as? String == "127.0.0.1:1")
            #expect(nodes.first?["healthy"] as? Bool == false)
            #expect(nodes.first?["role"] as? String == "primary")
        }
    }

    @Test func statsCountCommandsKeysAndHits() async throws {
        try await withAdmin { admin in
            let connection = try RESPTestConnection(port: admin.respPort)
            try connection.command("SET", "a", "1")
            try connection.command("GET", "a")
            try connection.command("GET", "missing")
            let stats = try await admin.request("GET", "/v1/stats")
            #expect(stats.status == 200)
            let keyspace = try #require(stats.json["keyspace"] as? [String: Any])
            #expect(keyspace["hits"] as? Int == 1)
            #expect(keyspace["misses"] as? Int == 1)
            #expect(keyspace["hit_rate"] as? Double == 0.5)
            let databases = keyspace["databases"] as? [[String: Int]]
            #expect(databases == [["index": 0, "keys": 1, "expires": 0]])
            let commands = try #require(stats.json["commands"] as? [String: Any])
            let byName = commands["by_name"] as? [[String: Any]] ?? []
            #expect(byName.first { $0["name"] as? String == "get" }?["calls"] as? Int == 2)
            #expect((stats.json["clients"] as? [String: Any])?["connected"] as? Int == 1)
            #expect((stats.json["cache"] as? [String: Any])?["rules"] as? [String: Any] != nil)
            #expect((stats.json["configuration"] as? [String: Any])?["version"] as? Int == 1)
        }
    }

    @Test func metricsArePrometheusText() async throws {
        try await withAdmin { admin in
            let connection = try RESPTestConnection(port: admin.respPort)
            try connection.command("SET", "a", "1")
            try connection.command("GET", "a")
            let metrics = try await admin.request("GET", "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.header("content-type")?.hasPrefix("text/plain") == true)
            let text = metrics.text
            #expect(text.contains("sidecache_commands_total{command=\"get\"} 1"))
            #expect(text.contains("sidecache_keyspace_hits_total 1"))
            #expect(text.contains("sidecache_connected_clients 1"))
            #expect(text.contains("# TYPE sidecache_command_duration_seconds histogram"))
            #expect(text.contains("sidecache_command_duration_seconds_count{command=\"set\"} 1"))
            #expect(text.contains("sidecache_command_duration_seconds_bucket{command=\"set\",le=\"+Inf\"} 1"))
            #expect(text.contains("sidecache_memory_used_bytes"))
            #expect(text.contains("sidecache_keys{db=\"0\"} 1"))
            // A second scrape reports the same totals, not twice them.
            let again = try await admin.request("GET", "/metrics")
            #expect(again.text.contains("sidecache_commands_total{command=\"get\"} 1"))
        }
    }

    @Test func hotKeysAndBigKeys() async throws {
        try await withAdmin { admin in
            let connection = try RESPTestConnection(port: admin.respPort)
            try connection.command("SET", "small", "x")
            try connection.command("SET", "big", String(repeating: "v", count: 10_000))
            for _ in 0..<200 { try connection.command("GET", "small") }
            let hot = try await admin.request("GET", "/v1/hotkeys?count=1")
            #expect(hot.status == 200)
            let hotKeys = hot.json["keys"] as? [[String: Any]] ?? []
            #expect(hotKeys.count == 1)
            #expect(hotKeys.first?["key"] as? String == "small")
            #expect((hotKeys.first?["accesses"] as? Int ?? 0) > 0)
            let big = try await admin.request("GET", "/v1/bigkeys?count=5&min_bytes=1000")
            #expect(big.status == 200)
            let bigKeys = big.json["keys"] as? [[String: Any]] ?? []
            #expect(bigKeys.map { $0["key"] as? String } == ["big"])
            #expect(bigKeys.first?["type"] as? String == "string")
            #expect(bigKeys.first?["key_base64"] as? String == "Ymln")
            #expect(big.json["keys_scanned"] as? Int == 2)
            let bad = try await admin.request("GET", "/v1/hotkeys?count=0")
            #expect(bad.status == 400)
            #expect(bad.header("content-type")?.hasPrefix("application/problem+json") == true)
            let notANumber = try await admin.request("GET", "/v1/bigkeys?count=many")
            #expect(notANumber.status == 400)
            #expect(notANumber.header("content-type")?.hasPrefix("application/problem+json") == true)
        }
    }

    @Test func slowLogReadAndReset() async throws {
        try await withAdmin(yaml: "monitoring:\n  slowlog_log_slower_than: 0\n") { admin in
            let connection = try RESPTestConnection(port: admin.respPort)
            try connection.command("SET", "a", "1")
            let log = try await admin.request("GET", "/v1/slowlog")
            let entries = log.json["entries"] as? [[String: Any]] ?? []
            #expect(entries.contains { $0["arguments"] as? [String] == ["SET", "a", "1"] })
            let one = try await admin.request("GET", "/v1/slowlog?count=1")
            #expect((one.json["entries"] as? [Any])?.count == 1)
            let reset = try await admin.request("DELETE", "/v1/slowlog")
            #expect(reset.status == 204)
            #expect(try connection.command("SLOWLOG", "LEN") == "0")
        }
    }

    @Test func clientsListAndKill() async throws {
        try await withAdmin { admin in
            let connection = try RESPTestConnection(port: admin.respPort)
            try connection.command("CLIENT", "SETNAME", "worker")
            let list = try await admin.request("GET", "/v1/clients")
            let clients = list.json["clients"] as? [[String: Any]] ?? []
            let worker = try #require(clients.first { $0["name"] as? String == "worker" })
            #expect(worker["last_command"] as? String == "client|setname")
            let id = try #require(worker["id"] as? Int)
            let killed = try await admin.request("DELETE", "/v1/clients/\(id)")
            #expect(killed.status == 204)
            #expect(throws: (any Error).self) { try connection.command("PING") }
            let missing = try await admin.request("DELETE", "/v1/clients/999999")
            #expect(missing.status == 404)
            #expect(missing.json["detail"] as? String == "no client with id 999999 is connected; GET /v1/clients lists them")
        }
    }

    @Test func upstreamsWhenStandalone() async throws {
        try await withAdmin { admin in
            let upstreams = try await admin.request("GET", "/v1/upstreams")
            #expect(upstreams.status == 200)
            #expect(upstreams.json["mode"] as? String == "none")
            #expect((upstreams.json["nodes"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func invalidateKeysAndPrefixThenFlush() async throws {
        try await withAdmin { admin in
            let connection = try RESPTestConnection(port: admin.respPort)
            for key in ["user:1", "user:2", "user:3", "order:1", "other"] { try connection.command("SET", key, "v") }
            try connection.command("SELECT", "1")
            try connection.command("SET", "user:9", "v")
            let keys = try await admin.request("POST", "/v1/cache/invalidate", body: #"{"keys": ["order:1", "nope"]}"#)
            #expect(keys.status == 200)
            #expect(keys.json["deleted"] as? Int == 1)
            let prefix = try await admin.request("POST", "/v1/cache/invalidate", body: #"{"prefix": "user:", "database": 0}"#)
            #expect(prefix.json["deleted"] as? Int == 3)
            #expect(try connection.command("DBSIZE") == "1")
            try connection.command("SELECT", "0")
            #expect(try connection.command("KEYS", "*") == "other")
            let both = try await admin.request("POST", "/v1/cache/invalidate", body: #"{"keys": ["a"], "prefix": "b"}"#)
            #expect(both.status == 400)
            let flush = try await admin.request("POST", "/v1/cache/flush")
            #expect(flush.status == 200)
            #expect(flush.json["deleted"] as? Int == 2)
            #expect(try connection.command("DBSIZE") == "0")
        }
    }

    @Test func unknownPathsAreProblems() async throws {
        try await withAdmin { admin in
            let response = try await admin.request("GET", "/v1/nothing-here")
            #expect(response.status == 404)
            #expect(response.header("content-type")?.hasPrefix("application/problem+json") == true)
            #expect((response.json["detail"] as? String)?.hasPrefix("no such endpoint") == true)
        }
    }
}
