import Foundation

/// A flag another thread (a signal handler, the console) raises to ask a run to
/// stop cleanly at the next batch boundary.
public final class CancellationFlag: Sendable {
    private let lock = NSLock()
    nonisolated(unsafe) private var raised = false
    nonisolated(unsafe) private var why = ""

    /// A lowered flag.
    public init() {}

    /// Asks the run to stop; `reason` is recorded ("SIGINT", "canceled from the console").
    public func cancel(reason: String) {
        lock.withLock {
            if !raised { why = reason }
            raised = true
        }
    }

    /// True once `cancel` was called.
    public var isCancelled: Bool { lock.withLock { raised } }

    /// What asked the run to stop.
    public var reason: String { lock.withLock { why } }

    /// Sleeps for `seconds`, or less when the flag is raised meanwhile (it is looked at
    /// every 50 ms): a `--throttle` pause never outlasts a request to stop.
    public static func pause(_ seconds: TimeInterval, unless flag: CancellationFlag?) {
        let end = Date().addingTimeInterval(seconds)
        while flag?.isCancelled != true {
            let left = end.timeIntervalSinceNow
            if left <= 0 { return }
            Thread.sleep(forTimeInterval: min(left, 0.05))
        }
    }
}
