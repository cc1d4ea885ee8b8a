import Dispatch

/// Runs blocking work (a scan of the whole log, a file read) on a Dispatch thread rather than on Swift's cooperative
/// pool, whose few threads must never wait on I/O.
package enum OffPool {
    /// Runs `body` on a global Dispatch queue and returns its result to the awaiting task.
    /// - Throws: what `body` throws.
    package static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
