import GRDB

/// Markers, attempts and skip overrides on SQLite.
extension SQLiteLedger {
    public func markers() throws -> [Marker] {
        try Marker.fetchAll(db, sql: "SELECT * FROM cairn_markers ORDER BY migration_id")
    }

    public func insertMarker(_ marker: Marker) throws {
        try db.execute(
            sql: """
                INSERT INTO cairn_markers (\(SQLiteLedger.markerColumns.joined(separator: ", ")))
                VALUES (\(SQLiteLedger.markerColumns.map { _ in "?" }.joined(separator: ", ")))
                """,
            arguments: try SQLiteLedger.markerArguments(marker))
    }

    public func updateMarker(_ marker: Marker) throws -> Bool {
        try db.execute(
            sql: """
                UPDATE cairn_markers SET \(SQLiteLedger.markerColumns.map { "\($0) = ?" }.joined(separator: ", "))
                WHERE migration_id = ?
                """,
            arguments: try SQLiteLedger.markerArguments(marker) + [marker.migrationId])
        return db.changesCount == 1
    }

    static var markerColumns: [String] { Marker.columns.map { $0 == "user" ? "\"user\"" : $0 } }

    static func markerArguments(_ marker: Marker) throws -> StatementArguments {
        try SQLiteReadModel.arguments(marker.columnValues)
    }

    public func deleteMarker(_ migrationId: String) throws {
        try db.execute(sql: "DELETE FROM cairn_markers WHERE migration_id = ?", arguments: [migrationId])
    }

    public func latestAttempts() throws -> [String: Attempt] {
        let attempts = try Attempt.fetchAll(db, sql: """
            SELECT a.*, r.kind AS run_kind, r.options AS run_options FROM cairn_attempts a
            JOIN (SELECT migration_id, max(run_id) AS run_id FROM cairn_attempts GROUP BY migration_id) newest
              ON a.migration_id = newest.migration_id AND a.run_id = newest.run_id
            LEFT JOIN cairn_runs r ON r.id = a.run_id
            """)
        return Dictionary(attempts.map { ($0.migrationId, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func attempts(run: Int64) throws -> [Attempt] {
        try Attempt.fetchAll(db, sql: """
            SELECT a.*, r.kind AS run_kind, r.options AS run_options FROM cairn_attempts a
            LEFT JOIN cairn_runs r ON r.id = a.run_id WHERE a.run_id = ? ORDER BY a.started_at, a.migration_id
            """, arguments: [run])
    }

    public func skippedMigrations(run: Int64) throws -> [String] {
        // A run logs each skip with the migration's id, as a warning that starts with ⤼.
        try String.fetchAll(db, sql: """
            SELECT migration_id FROM cairn_run_log
            WHERE run_id = ? AND migration_id IS NOT NULL AND level = 'warning' AND message LIKE '⤼ %'
            GROUP BY migration_id ORDER BY min(id)
            """, arguments: [run])
    }

    public func eventsWritten(applying migration: String) throws -> Int {
        try Int.fetchOne(db, sql: """
            SELECT coalesce(sum(a.events_written), 0) FROM cairn_attempts a JOIN cairn_runs r ON r.id = a.run_id
            WHERE a.migration_id = ? AND r.kind = 'migrate'
              AND a.run_id > coalesce((SELECT max(run_id) FROM cairn_attempts WHERE migration_id = ? AND status = 'reverted'), 0)
            """, arguments: [migration, migration]) ?? 0
    }

    public func startAttempt(run: Int64, migration: String) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO cairn_attempts (run_id, migration_id, status, started_at) VALUES (?, ?, 'running', ?)",
            arguments: [run, migration, Timestamp.now()])
    }

    public func addProgress(run: Int64, migration: String, rows: Int, events: Int) throws {
        try db.cachedStatement(sql: Statement.addProgress).execute(arguments: [rows, events, run, migration])
    }

    public func finishAttempt(run: Int64, migration: String, status: AttemptStatus, error: String?) throws {
        try db.execute(
            sql: """
                UPDATE cairn_attempts SET status = ?, finished_at = ?, error = ?
                WHERE run_id = ? AND migration_id = ? AND status = 'running'
                """,
            arguments: [status.rawValue, Timestamp.now(), error?.withVisibleNUL, run, migration])
    }

    public func finishRunningAttempts(run: Int64, status: AttemptStatus, error: String?) throws {
        try db.execute(
            sql: "UPDATE cairn_attempts SET status = ?, finished_at = ?, error = ? WHERE run_id = ? AND status = 'running'",
            arguments: [status.rawValue, Timestamp.now(), error?.withVisibleNUL, run])
    }

    public func overrides() throws -> [Override] {
        try Override.fetchAll(db, sql: "SELECT * FROM cairn_overrides ORDER BY migration_id")
    }

    public func putOverride(_ override: Override) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO cairn_overrides (migration_id, reason, created_by, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?)
                """,
            arguments: [override.migrationId, override.reason, override.createdBy, override.createdAt, override.expiresAt])
    }

    public func deleteOverride(_ migrationId: String) throws -> Override? {
        let existing = try Override.fetchOne(
            db, sql: "SELECT * FROM cairn_overrides WHERE migration_id = ?", arguments: [migrationId])
        try db.execute(sql: "DELETE FROM cairn_overrides WHERE migration_id = ?", arguments: [migrationId])
        return existing
    }
}
