import Foundation

/// Runs blocking `body` on a thread of its own and waits for it without holding a thread of
/// the cooperative pool or of Dispatch's (both of which the server under test needs: a test
/// blocking them could stall the server it waits for).
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.start()
    }
}
