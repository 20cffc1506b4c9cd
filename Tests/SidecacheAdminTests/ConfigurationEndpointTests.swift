import Foundation
import Testing

/// The configuration endpoints over real HTTP: reading, replacing, validating, the history and
/// rollback, and who may do which.
@Suite struct ConfigurationEndpointTests {
    static func json(_ yaml: String, comment: String? = nil) -> String {
        var object: [String: Any] = ["yaml": yaml]
        if let comment { object["comment"] = comment }
        let data = try! JSONSerialization.data(withJSONObject: object)
        return String(decoding: data, as: UTF8.self)
    }

    @Test func getConfigShowsTheDocumentVersionAndSettings() async throws {
        let yaml = "memory:\n  maxmemory_policy: allkeys-lru\n"
        try await withAdmin(yaml: yaml) { admin in
            let response = try await admin.request("GET", "/v1/config")
            #expect(response.status == 200)
            #expect(response.json["yaml"] as? String == yaml)
            let version = try #require(response.json["version"] as? [String: Any])
            #expect(version["version"] as? Int == 1)
            #expect(version["source"] as? String == "startup")
            #expect((version["checksum"] as? String)?.count == 64)
            #expect((response.json["settings"] as? [String: String])?["maxmemory-policy"] == "allkeys-lru")
            #expect(response.json["restart_pending"] as? [String] == [])
        }
    }

    @Test func putAppliesInPlaceRecordsAndReportsRestarts() async throws {
        try await withAdmin { admin in
            let connection = try RESPTestConnection(port: admin.respPort)
            let yaml = "server:\n  databases: 4\nmemory:\n  maxmemory_policy: allkeys-lfu\nmonitoring:\n  slowlog_max_len: 7\n"
            let response = try await admin.request("PUT", "/v1/config", body: Self.json(yaml, comment: "tune"))
            #expect(response.status == 200)
            #expect(response.json["changed"] as? Bool == true)
            #expect(response.json["applied"] as? [String] == ["monitoring.slowlog_max_len", "memory.maxmemory_policy"])
            #expect(response.json["restart_required"] as? [String] == ["server.databases"])
            let version = try #require(response.json["version"] as? [String: Any])
            #expect(version["version"] as? Int == 2)
            #expect(version["source"] as? String == "api")
            #expect(version["comment"] as? String == "tune")
            #expect(version["summary"] as? String == "changed server.databases, monitoring.slowlog_max_len, memory.maxmemory_policy")
            #expect(try connection.command("CONFIG", "GET", "maxmemory-policy") == "maxmemory-policy\nallkeys-lfu")
            #expect(try connection.command("CONFIG", "GET", "slowlog-max-len") == "slowlog-max-len\n7")
            // The databases stay as they are until a restart.
            #expect(try connection.command("PING") == "PONG")
            let running = try await admin.request("GET", "/v1/config")
            #expect(running.json["restart_pending"] as? [String] == ["server.databases"])
            // The same document again changes nothing and records nothing.
            let again = try await admin.request("PUT", "/v1/config", body: Self.json(yaml))
            #expect(again.json["changed"] as? Bool == false)
            #expect((again.json["version"] as? [String: Any])?["version"] as? Int == 2)
        }
    }

    @Test func putTakesAJSONObjectToo() async throws {
        try await withAdmin { admin in
            let body = #"{"configuration": {"encoding": {"hash_max_listpack_entries": 9}}}"#
            let response = try await admin.request("PUT", "/v1/config", body: body)
            #expect(response.status == 200)
            #expect(response.json["applied"] as? [String] == ["encoding.hash_max_listpack_entries"])
            let connection = try RESPTestConnection(port: admin.respPort)
            #expect(try connection.command("CONFIG", "GET", "hash-max-listpack-entries") == "hash-max-listpack-entries\n9")
        }
    }

    @Test func invalidDocumentsListEveryProblemAndChangeNothing() async throws {
        try await withAdmin { admin in
            let yaml = "memory:\n  maxmemory_policy: sometimes\nserver:\n  hz: 0\n  colour: blue\n"
            let response = try await admin.request("PUT", "/v1/config", body: Self.json(yaml))
            #expect(response.status == 422)
            #expect(response.header("content-type")?.hasPrefix("application/problem+json") == true)
            let problems = response.json["problems"] as? [[String: Any]] ?? []
            #expect(problems.map { $0["path"] as? String } == ["memory.maxmemory_policy", "server.hz", "server.colour"])
            #expect((response.json["detail"] as? String)?.contains("3 problems") == true)
            #expect(problems.first?["line"] as? Int == 2)
            let validate = try await admin.request("POST", "/v1/config/validate", body: Self.json(yaml))
            #expect(validate.status == 200)
            #expect(validate.json["valid"] as? Bool == false)
            #expect((validate.json["problems"] as? [Any])?.count == 3)
            let history = try await admin.request("GET", "/v1/config/history")
            #expect((history.json["versions"] as? [Any])?.count == 1)
        }
    }

    @Test func validateIsADryRun() async throws {
        try await withAdmin { admin in
            let response = try await admin.request(
                "POST", "/v1/config/validate", body: Self.json("server:\n  databases: 4\nmemory:\n  maxmemory: 1mb\n"), token: nil
            )
            #expect(response.status == 200)
            #expect(response.json["valid"] as? Bool == true)
            #expect(response.json["restart_required"] as? [String] == ["server.databases"])
            let connection = try RESPTestConnection(port: admin.respPort)
            #expect(try connection.command("CONFIG", "GET", "maxmemory") == "maxmemory\n0")
        }
    }

    @Test func badRequestsAreProblems() async throws {
        try await withAdmin { admin in
            let broken = try await admin.request("PUT", "/v1/config", body: #"{"yaml": "#)
            #expect(broken.status == 400)
            #expect(broken.header("content-type")?.hasPrefix("application/problem+json") == true)
            #expect((broken.json["detail"] as? String)?.contains("not valid JSON") == true)
            let wrongType = try await admin.request("PUT", "/v1/config", body: #"{"yaml": 5}"#)
            #expect(wrongType.status == 400)
            let neither = try await admin.request("PUT", "/v1/config", body: #"{"comment": "x"}"#)
            #expect(neither.status == 400)
            #expect((neither.json["detail"] as? String)?.contains("'yaml'") == true)
        }
    }

    @Test func stateChangesNeedTheToken() async throws {
        try await withAdmin { admin in
            let missing = try await admin.request("PUT", "/v1/config", body: Self.json(""), token: nil)
            #expect(missing.status == 401)
            #expect(missing.header("www-authenticate")?.hasPrefix("Bearer") == true)
            #expect(missing.header("content-type")?.hasPrefix("application/problem+json") == true)
            let wrong = try await admin.request("POST", "/v1/cache/flush", token: "guess")
            #expect(wrong.status == 401)
            let response1 = try await admin.request("DELETE", "/v1/slowlog", token: nil)
            #expect(response1.status == 401)
            // Reads are open, but the documents (which may hold passwords) need the token.
            let response2 = try await admin.request("GET", "/v1/stats", token: nil)
            #expect(response2.status == 200)
            let response3 = try await admin.request("GET", "/v1/config", token: nil)
            #expect(response3.status == 401)
            let response4 = try await admin.request("GET", "/v1/config/history/1", token: nil)
            #expect(response4.status == 401)
        }
    }

    @Test func withoutATokenTheAPIIsReadOnly() async throws {
        try await withAdmin(token: nil) { admin in
            let response = try await admin.request("POST", "/v1/cache/flush", token: nil)
            #expect(response.status == 403)
            #expect((response.json["detail"] as? String)?.contains("admin.token") == true)
            let response5 = try await admin.request("GET", "/v1/config", token: nil)
            #expect(response5.status == 200)
        }
    }

    @Test func readsCanNeedTheTokenToo() async throws {
        try await withAdmin(tokenRequiredForReads: true) { admin in
            let response6 = try await admin.request("GET", "/v1/stats", token: nil)
            #expect(response6.status == 401)
            let response7 = try await admin.request("GET", "/metrics", token: nil)
            #expect(response7.status == 401)
            let response8 = try await admin.request("GET", "/v1/stats")
            #expect(response8.status == 200)
            let response9 = try await admin.request("GET", "/healthz", token: nil)
            #expect(response9.status == 200)
        }
    }

    @Test func historyPagesAndVersions() async throws {
        try await withAdmin { admin in
            for length in 1...5 {
                let yaml = "monitoring:\n  slowlog_max_len: \(length)\n"
                let response10 = try await admin.request("PUT", "/v1/config", body: Self.json(yaml))
                #expect(response10.status == 200)
            }
            let first = try await admin.request("GET", "/v1/config/history?limit=4")
            let versions = (first.json["versions"] as? [[String: Any]] ?? []).compactMap { $0["version"] as? Int }
            #expect(versions == [6, 5, 4, 3])
            #expect(first.json["next_before"] as? Int == 3)
            let second = try await admin.request("GET", "/v1/config/history?limit=4&before=3")
            #expect((second.json["versions"] as? [[String: Any]] ?? []).compactMap { $0["version"] as? Int } == [2, 1])
            #expect(second.json["next_before"] == nil)
            let one = try await admin.request("GET", "/v1/config/history/3")
            #expect(one.json["yaml"] as? String == "monitoring:\n  slowlog_max_len: 2\n")
            let unknown = try await admin.request("GET", "/v1/config/history/99")
            #expect(unknown.status == 404)
            #expect(unknown.header("content-type")?.hasPrefix("application/problem+json") == true)
            #expect((unknown.json["detail"] as? String)?.contains("no configuration version 99") == true)
            let response11 = try await admin.request("GET", "/v1/config/history?limit=0")
            #expect(response11.status == 400)
        }
    }

    @Test func rollbackAppliesAnOldDocumentAsANewVersion() async throws {
        try await withAdmin(yaml: "monitoring:\n  slowlog_max_len: 11\n") { admin in
            let connection = try RESPTestConnection(port: admin.respPort)
            _ = try await admin.request("PUT", "/v1/config", body: Self.json("monitoring:\n  slowlog_max_len: 22\n"))
            #expect(try connection.command("CONFIG", "GET", "slowlog-max-len") == "slowlog-max-len\n22")
            let rollback = try await admin.request("POST", "/v1/config/rollback/1?comment=undo")
            #expect(rollback.status == 200)
            let version = try #require(rollback.json["version"] as? [String: Any])
            #expect(version["version"] as? Int == 3)
            #expect(version["source"] as? String == "rollback")
            #expect(version["comment"] as? String == "undo")
            #expect(try connection.command("CONFIG", "GET", "slowlog-max-len") == "slowlog-max-len\n11")
            let three = try await admin.request("GET", "/v1/config/history/3")
            #expect(three.json["yaml"] as? String == "monitoring:\n  slowlog_max_len: 11\n")
            let response12 = try await admin.request("POST", "/v1/config/rollback/42")
            #expect(response12.status == 404, "\(response12.text)")
        }
    }

    @Test func concurrentPutsSerializeWithoutLosingOne() async throws {
        try await withAdmin { admin in
            let lengths = Array(100..<116)
            let results = try await withThrowingTaskGroup(of: Int.self) { group in
                for length in lengths {
                    group.addTask {
                        let body = Self.json("monitoring:\n  slowlog_max_len: \(length)\n")
                        let response = try await admin.request("PUT", "/v1/config", body: body)
                        return (response.json["version"] as? [String: Any])?["version"] as? Int ?? -1
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.sorted() == Array(2..<(2 + lengths.count)))
            let history = try await admin.request("GET", "/v1/config/history?limit=100")
            let documents = (history.json["versions"] as? [[String: Any]] ?? []).filter { $0["source"] as? String == "api" }
            #expect(documents.count == lengths.count)
            // The one in force is the one recorded last.
            let newest = try await admin.request("GET", "/v1/config/history/\(1 + lengths.count)")
            let running = try await admin.request("GET", "/v1/config")
            #expect(running.json["yaml"] as? String == newest.json["yaml"] as? String)
        }
    }
}
