import CairnStore
import Foundation
import Logging

/// Records one run's log lines and its end in the ledger, and passes each line to the logger.
///
/// Each log line is committed on its own, so another process (a console) sees
/// it at once and a crash loses none. Never call it from inside a store
/// transaction: it opens its own. Only `RunLifecycle` starts and ends runs.
public final class RunRecorder: Sendable {
    /// The run's id.
    public let id: Int64
    /// The kind of run.
    public let kind: RunKind
    private let store: EventStore
    private let logger: Logger

    init(id: Int64, kind: RunKind, store: EventStore, logger: Logger) {
        self.id = id
        self.kind = kind
        self.store = store
        self.logger = logger
    }

    /// Appends a line to the run's log and passes it to the logger.
    public func log(_ level: LogLevel, _ message: String, migration: String? = nil) {
        var metadata: Logger.Metadata = ["run": "\(id)"]
        if let migration { metadata["migration"] = "\(migration)" }
        switch level {
        case .debug: logger.debug("\(message)", metadata: metadata)
        case .info: logger.info("\(message)", metadata: metadata)
        case .warning: logger.warning("\(message)", metadata: metadata)
        case .error: logger.error("\(message)", metadata: metadata)
        }
        do {
            try store.writeLedger { ledger in
                try ledger.appendLogLine(run: id, level: level, message: message, migration: migration)
            }
        } catch {
            logger.error("could not record the log line in the store: \(error)")
        }
    }

    /// Marks the run finished with `status`, recording `error` when it did not succeed.
    ///
    /// - Returns: false when the end could not be recorded (the next writing
    ///   command then finds the run's process gone and marks it interrupted).
    @discardableResult
    func finish(_ status: RunStatus, error: String? = nil) -> Bool {
        do {
            try store.writeLedger { ledger in
                if status != .succeeded, let error {
                    try ledger.finishRunningAttempts(run: id, status: status == .canceled ? .canceled : .failed, error: error)
                }
                try ledger.finishRun(id, status: status, error: error)
            }
            return true
        } catch {
            logger.error("could not record the end of run \(id) (\(status.rawValue)): \(error)")
            return false
        }
    }
}
