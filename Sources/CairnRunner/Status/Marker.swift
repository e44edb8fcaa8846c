import GRDB

/// The record that a migration was applied in this environment (`cairn_markers`).
public struct Marker: Sendable, Hashable {
    public let migrationId: String
    /// The checksum of the file as applied.
    public let checksum: String
    public let description: String
    public let appliedAt: String
    public let durationMilliseconds: Int
    public let trigger: String
    public let host: String
    public let pid: Int32
    public let user: String?
    /// The run that applied it.
    public let runId: Int64
    public let eventsWritten: Int
    /// True when it was applied with `--allow-drift`.
    public let allowDrift: Bool

    init(row: Row) {
        migrationId = row["migration_id"]
        checksum = row["checksum"]
        description = row["description"]
        appliedAt = row["applied_at"]
        durationMilliseconds = row["duration_ms"]
        trigger = row["trigger"]
        host = row["host"]
        pid = row["pid"]
        user = row["user"]
        runId = row["run_id"]
        eventsWritten = row["events_written"]
        allowDrift = row["allow_drift"]
    }

    static func fetchAll(_ db: Database) throws -> [Marker] {
        try Row.fetchAll(db, sql: "SELECT * FROM cairn_markers ORDER BY migration_id").map(Marker.init(row:))
    }
}

/// One attempt of a run at one migration (`cairn_attempts`).
public struct Attempt: Sendable, Hashable {
    public let runId: Int64
    public let migrationId: String
    /// running, applied, failed, canceled or interrupted.
    public let status: String
    public let startedAt: String
    public let finishedAt: String?
    public let rowsDone: Int
    public let eventsWritten: Int
    public let batches: Int
    public let error: String?

    init(row: Row) {
        runId = row["run_id"]
        migrationId = row["migration_id"]
        status = row["status"]
        startedAt = row["started_at"]
        finishedAt = row["finished_at"]
        rowsDone = row["rows_done"]
        eventsWritten = row["events_written"]
        batches = row["batches"]
        error = row["error"]
    }

    /// The newest attempt of every migration that has one.
    static func latest(_ db: Database) throws -> [String: Attempt] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT a.* FROM cairn_attempts a
            JOIN (SELECT migration_id, max(run_id) AS run_id FROM cairn_attempts GROUP BY migration_id) newest
              ON a.migration_id = newest.migration_id AND a.run_id = newest.run_id
            """)
        return Dictionary(rows.map { (Attempt(row: $0).migrationId, Attempt(row: $0)) }, uniquingKeysWith: { a, _ in a })
    }
}
