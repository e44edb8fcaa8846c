import Foundation

/// The whole seconds of a wait already shown, so the wait is posted once a second, not at every poll.
final class SecondsShown: @unchecked Sendable {
    private let lock = NSLock()
    private var last = -1

    /// True when `second` was not shown yet.
    func advance(to second: Int) -> Bool {
        lock.withLock {
            guard second > last else { return false }
            last = second
            return true
        }
    }
}
