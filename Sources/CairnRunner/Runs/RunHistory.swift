import CairnStore
import GRDB

/// Reads runs and their logs.
public struct RunHistory: Sendable {
    let store: EventStore

    /// A reader over `store`'s runs.
    public init(store: EventStore) {
        self.store = store
    }

    /// The newest runs first, at most `limit`.
    public func runs(limit: Int = 50) throws -> [RunRecord] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT \(RunRecord.columns) FROM cairn_runs ORDER BY id DESC LIMIT ?", arguments: [limit])
                .map(RunRecord.init(row:))
        }
    }

    /// The run with `id`, if it exists.
    public func run(_ id: Int64) throws -> RunRecord? {
        try store.read { db in
            try Row.fetchOne(db, sql: "SELECT \(RunRecord.columns) FROM cairn_runs WHERE id = ?", arguments: [id])
                .map(RunRecord.init(row:))
        }
    }

    /// The newest run, if any.
    public func latestRun() throws -> RunRecord? {
        try runs(limit: 1).first
    }

    /// The run's log lines after line `after` (0 for all), oldest first, at most `limit`.
    public func lines(run: Int64, after: Int64 = 0, limit: Int = 10_000) throws -> [LogLine] {
        try store.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, run_id, at, level, migration_id, message FROM cairn_run_log
                    WHERE run_id = ? AND id > ? ORDER BY id LIMIT ?
                    """,
                arguments: [run, after, limit]
            ).map(LogLine.init(row:))
        }
    }
}
