import Foundation
import GRDB
import Testing
@testable import SidecacheAdmin
import SidecacheServer

/// The configuration history: it survives restarts, is append-only, and is in WAL mode.
@Suite struct HistoryTests {
    @Test func rowsSurviveARestart() async throws {
        let directory = AdminHarness.temporaryDirectory()
        try await withAdmin(dataDirectory: directory, yaml: "monitoring:\n  slowlog_max_len: 5\n") { admin in
            let body = ConfigurationEndpointTests.json("monitoring:\n  slowlog_max_len: 6\n", comment: "before restart")
            let response1 = try await admin.request("PUT", "/v1/config", body: body)
            #expect(response1.status == 200)
        }
        try await withAdmin(dataDirectory: directory, yaml: "monitoring:\n  slowlog_max_len: 5\n") { admin in
            let history = try await admin.request("GET", "/v1/config/history")
            let versions = history.json["versions"] as? [[String: Any]] ?? []
            #expect(versions.map { $0["source"] as? String } == ["startup", "api", "startup"])
            #expect(versions.map { $0["version"] as? Int } == [3, 2, 1])
            #expect(versions[1]["comment"] as? String == "before restart")
            #expect(versions[0]["summary"] as? String == "restart; changed monitoring.slowlog_max_len")
            // The version before the restart can still be rolled back to.
            let response2 = try await admin.request("POST", "/v1/config/rollback/2")
            #expect(response2.status == 200)
            let connection = try RESPTestConnection(port: admin.respPort)
            #expect(try connection.command("CONFIG", "GET", "slowlog-max-len") == "slowlog-max-len\n6")
        }
    }

    @Test func theTableIsAppendOnlyAndInWALMode() throws {
        let directory = AdminHarness.temporaryDirectory()
        let history = try ConfigurationHistory(directory: directory)
        let record = try history.append(
            ConfigurationRecord(createdAt: Date(), source: .api, comment: nil, document: "a: 1\n", summary: "x")
        )
        #expect(record.version == 1)
        #expect(try history.journalMode() == "wal")
        let queue = try DatabaseQueue(path: directory + "/" + ConfigurationHistory.fileName)
        #expect(throws: (any Error).self) { try queue.write { try $0.execute(sql: "UPDATE configuration_version SET document = 'b'") } }
        #expect(throws: (any Error).self) { try queue.write { try $0.execute(sql: "DELETE FROM configuration_version") } }
        #expect(try history.record(version: 1)?.document == "a: 1\n")
    }

    @Test func checksumsAreSHA256() {
        #expect(SHA256.hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = String(repeating: "a", count: 1000)
        #expect(SHA256.hex(Array(long.utf8)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
