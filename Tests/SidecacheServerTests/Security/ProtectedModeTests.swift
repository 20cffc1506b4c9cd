import NIOCore
import NIOPosix
import SidecacheConfig
import Testing

@testable import SidecacheServer

/// Protected mode: a client from a non-loopback address gets Redis's DENIED explanation and is
/// closed while the default user has no password. Over a real socket when this machine has a
/// non-loopback IPv4 address (the listener binds 0.0.0.0 and the client connects to that
/// address); the decision itself also as a unit.
@Suite(.serialized)
struct ProtectedModeTests {
    /// This machine's first non-loopback IPv4 address, if any.
    static var externalAddress: String? {
        (try? System.enumerateDevices())?.compactMap { device -> String? in
            guard case .v4 = device.address, let ip = device.address?.ipAddress, !ip.hasPrefix("127.") else { return nil }
            return ip
        }.first
    }

    @Test(.enabled(if: externalAddress != nil, "needs a non-loopback IPv4 address"))
    func remoteClientIsRefusedWithoutPassword() async throws {
        let host = try #require(Self.externalAddress)
        try await withTestServer({ $0.server.bind = ["0.0.0.0"] }) { server in
            let remote = try await TestClient.connect(host: host, port: server.port)
            let denied = try await remote.readRawReply()
            #expect(String(decoding: denied, as: UTF8.self) == ProtectedMode.deniedReply)
            #expect(try await remote.waitForClose())
            await remote.close()
            // Loopback clients are served; the refusal was counted.
            let local = try await server.connect()
            #expect(try await local.command("PING") == .simpleString(.init(string: "PONG")))
            let stats = ACLOrderFreeTests.text(try await local.command("INFO", "stats"))
            #expect(stats.contains("rejected_connections:1\r\n"))
            // With a password the remote client is served (and must authenticate).
            _ = try await local.command("CONFIG", "SET", "requirepass", "pw")
            let withPassword = try await TestClient.connect(host: host, port: server.port)
            #expect(try await withPassword.command("PING") == .simpleError(.init(string: "NOAUTH Authentication required.")))
            #expect(try await withPassword.command("AUTH", "pw") == .simpleString(.init(string: "OK")))
            await withPassword.close()
            // Protected mode off: served without a password too.
            _ = try await local.command("AUTH", "pw")
            _ = try await local.command("CONFIG", "SET", "requirepass", "", "protected-mode", "no")
            let unprotected = try await TestClient.connect(host: host, port: server.port)
            #expect(try await unprotected.command("PING") == .simpleString(.init(string: "PONG")))
            await unprotected.close()
            #expect(try await local.command("CONFIG", "GET", "protected-mode")
                == .array([.bulkString(.init(string: "protected-mode")), .bulkString(.init(string: "no"))]))
            await local.close()
        }
    }

    @Test func decision() throws {
        let loopback = try SocketAddress(ipAddress: "127.0.0.1", port: 1)
        let loopback6 = try SocketAddress(ipAddress: "::1", port: 1)
        let mapped = try SocketAddress(ipAddress: "::ffff:127.0.0.1", port: 1)
        let remote = try SocketAddress(ipAddress: "192.0.2.7", port: 1)
        let remote6 = try SocketAddress(ipAddress: "2001:db8::1", port: 1)
        for address in [loopback, loopback6, mapped] {
            #expect(!ProtectedMode.refuses(address, enabled: true, defaultUserHasNoPassword: true))
        }
        for address in [remote, remote6] {
            #expect(ProtectedMode.refuses(address, enabled: true, defaultUserHasNoPassword: true))
            #expect(!ProtectedMode.refuses(address, enabled: false, defaultUserHasNoPassword: true))
            #expect(!ProtectedMode.refuses(address, enabled: true, defaultUserHasNoPassword: false))
        }
    }
}
