import Foundation
import NIOSSL
import SidecacheDifftest

/// A throw-away certificate authority made by `scripts/gen-test-ca` in a temporary folder for
/// one test, and deleted after it: CA, a server certificate for localhost/127.0.0.1, a client
/// certificate, and a second CA that signed nothing.
struct TestCertificates: Sendable {
    let folder: String

    func path(_ name: String) -> String { folder + "/" + name }

    /// A client context trusting `caFile` (default: the test CA), presenting the client
    /// certificate when `clientCertificate`.
    func clientContext(caFile: String = "ca.crt", clientCertificate: Bool = false) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(path(caFile)))
        if clientCertificate {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(path("client.crt")).map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: path("client.key"), format: .pem))
        }
        return try NIOSSLContext(configuration: configuration)
    }

    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/gen-test-ca").path

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") }
}

/// Runs `body` with freshly generated certificates, and deletes them afterwards.
func withTestCertificates<T>(_ body: (TestCertificates) async throws -> T) async throws -> T {
    let folder = NSTemporaryDirectory() + "sidecache-test-ca-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: TestCertificates.script)
    process.arguments = [folder]
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let message = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitForExit()
    guard process.terminationStatus == 0 else {
        throw TestClientError(description: "scripts/gen-test-ca failed: \(String(decoding: message, as: UTF8.self))")
    }
    return try await body(TestCertificates(folder: folder))
}
