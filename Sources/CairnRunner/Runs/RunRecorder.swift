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
    private let store: any RunnerStore
    private let logger: Logger
    private let reserve: (any SpaceReserve)?

    init(id: Int64, kind: RunKind, store: any RunnerStore, logger: Logger, reserve: (any SpaceReserve)?) {
        self.id = id
        self.kind = kind
        self.store = store
        self.logger = logger
        self.reserve = reserve
    }

    /// Writes bookkeeping of the run in a transaction of its own; when the disk is full,
    /// frees the space set aside for this and tries once more.
    ///
    /// - Returns: false when it could not be recorded (said on the logger).
    @discardableResult
    func record(_ what: String, _ body: (any LedgerWriting) throws -> Void) -> Bool {
        do {
            try store.writeLedger(body)
            return true
        } catch {
            if case StoreError.diskFull? = store.explain(error, operation: what) as? StoreError {
                // Free what was set aside, and stop checkpoints from spending it on the database file.
                reserve?.release()
                store.spareDiskSpace()
                do {
                    try store.writeLedger(body)
                    return true
                } catch {
                    logger.error("could not record \(what) in the store: \(error)")
                    return false
                }
            }
            logger.error("could not record \(what) in the store: \(error)")
            return false
        }
    }

    /// Writes `body` with `lines` in the run's log in one transaction, then passes the lines to the
    /// logger: what a recovery verb changes and the line that says so commit together.
    ///
    /// - Throws: the store's error, explained, when it could not be written (nothing was then).
    func commit(_ what: String, lines: [(LogLevel, String, migration: String?)], _ body: (any LedgerWriting) throws -> Void) throws {
        do {
            try store.writeLedger { ledger in
                try body(ledger)
                for (level, message, migration) in lines {
                    try ledger.appendLogLine(run: id, level: level, message: message, migration: migration)
                }
            }
        } catch let error as RunnerError {
            throw error
        } catch {
            throw store.explain(error, operation: what)
        }
        for (level, message, migration) in lines { pass(level, message, migration: migration) }
    }

    /// Appends a line to the run's log and passes it to the logger.
    public func log(_ level: LogLevel, _ message: String, migration: String? = nil) {
        pass(level, message, migration: migration)
        record("the log line") { ledger in
            try ledger.appendLogLine(run: id, level: level, message: message, migration: migration)
        }
    }

    /// Passes a line to the logger only.
    private func pass(_ level: LogLevel, _ message: String, migration: String?) {
        var metadata: Logger.Metadata = ["run": "\(id)"]
        if let migration { metadata["migration"] = "\(migration)" }
        switch level {
        case .debug: logger.debug("\(message)", metadata: metadata)
        case .info: logger.info("\(message)", metadata: metadata)
        case .warning: logger.warning("\(message)", metadata: metadata)
        case .error: logger.error("\(message)", metadata: metadata)
        }
    }

    /// Marks the run finished with `status`, recording `error` when it did not succeed, with
    /// `lines` logged before it in the same transaction (one write, where a full disk has
    /// room for little).
    ///
    /// - Returns: false when the end could not be recorded (the next writing
    ///   command then finds the run's process gone and marks it interrupted).
    @discardableResult
    func finish(
        _ status: RunStatus, error: String? = nil, lines: [(LogLevel, String)] = [],
        also: (any LedgerWriting) throws -> Void = { _ in }
    ) -> Bool {
        for (level, message) in lines { pass(level, message, migration: nil) }
        return record("the end of run \(id) (\(status.rawValue))") { ledger in
            try also(ledger)
            for (level, message) in lines {
                try ledger.appendLogLine(run: id, level: level, message: message, migration: nil)
            }
            if status != .succeeded, let error {
                try ledger.finishRunningAttempts(run: id, status: status == .canceled ? .canceled : .failed, error: error)
            }
            try ledger.finishRun(id, status: status, error: error)
        }
    }
}
