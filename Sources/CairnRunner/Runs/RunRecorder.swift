import CairnStore
import Foundation
import GRDB
import Logging

/// Records one run: its row in `cairn_runs`, its log lines, and its end.
///
/// Each log line is committed on its own, so another process (a console) sees
/// it at once and a crash loses none. Never call it from inside a store
/// transaction: it opens its own.
public final class RunRecorder: Sendable {
    /// The run's id.
    public let id: Int64
    private let store: EventStore
    private let logger: Logger

    private init(id: Int64, store: EventStore, logger: Logger) {
        self.id = id
        self.store = store
        self.logger = logger
    }

    /// Inserts a `running` run and returns its recorder.
    public static func start(
        store: EventStore, kind: RunKind, trigger: RunTrigger, options: [String: JSONValue],
        identity: ProcessIdentity = .current, logger: Logger
    ) throws -> RunRecorder {
        let id = try store.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO cairn_runs (kind, trigger, status, started_at, host, pid, user, options)
                    VALUES (?, ?, 'running', ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    kind.rawValue, trigger.rawValue, Timestamp.now(), identity.host, identity.pid, identity.user,
                    JSONValue.object(options).jsonText,
                ])
            return db.lastInsertedRowID
        }
        return RunRecorder(id: id, store: store, logger: logger)
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
            try store.pool.write { db in
                try RunRecorder.insertLine(db, run: id, level: level, message: message, migration: migration)
            }
        } catch {
            logger.error("could not record the log line in the store: \(error)")
        }
    }

    /// Appends a log line inside a transaction the caller holds (used for lines
    /// that must commit or roll back with other writes).
    static func insertLine(_ db: Database, run: Int64, level: LogLevel, message: String, migration: String?) throws {
        try db.execute(
            sql: "INSERT INTO cairn_run_log (run_id, at, level, migration_id, message) VALUES (?, ?, ?, ?, ?)",
            arguments: [run, Timestamp.now(), level.rawValue, migration, message])
    }

    /// Marks the run finished with `status`, recording `error` when it failed.
    public func finish(_ status: RunStatus, error: String? = nil) {
        do {
            try store.pool.write { db in
                try db.execute(
                    sql: "UPDATE cairn_runs SET status = ?, finished_at = ?, error = ? WHERE id = ?",
                    arguments: [status.rawValue, Timestamp.now(), error, id])
            }
        } catch {
            logger.error("could not record the end of run \(id): \(error)")
        }
    }
}
