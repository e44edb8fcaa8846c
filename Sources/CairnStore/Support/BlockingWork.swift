import Dispatch
import Foundation

/// Runs blocking store work on Cairn's own threads, so async callers never block Swift's cooperative pool.
///
/// SQLite's calls block: a write waits for the file's write lock, a boot for the
/// migration lock. A Vapor or Hummingbird handler that called them directly would hold
/// one of the few cooperative threads for that long. `run` hands the work to a
/// dedicated concurrent dispatch queue and suspends the caller until it is done.
package enum BlockingWork {
    /// The queue blocking work runs on; not the cooperative pool.
    private static let queue = DispatchQueue(label: "cairn.blocking-work", qos: .userInitiated, attributes: .concurrent)
    private static let marker = "cairn.blocking-work"

    /// True on a thread running blocking work for an async caller (GRDB's own queues, which
    /// run the work synchronously on that thread, included).
    package static var isCurrent: Bool {
        Thread.current.threadDictionary[marker] as? Bool == true
    }

    /// Runs `body` on the blocking-work queue and returns its result to the suspended caller.
    package static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                Thread.current.threadDictionary[marker] = true
                let result = Result { try body() }
                Thread.current.threadDictionary[marker] = nil
                continuation.resume(with: result)
            }
        }
    }
}
