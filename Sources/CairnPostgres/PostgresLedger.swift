import CairnStore
import Foundation
import GRDB

/// The ledger on PostgreSQL: every statement on the `cairn_*` tables, over one session
/// inside the caller's transaction.
///
/// Records are decoded as on SQLite, by column name through their `Codable`
/// conformance (a GRDB row built from the server's row).
struct PostgresLedger: LedgerWriting {
    /// The session, inside a transaction the caller holds.
    let session: PostgresSession

    private func records<T: FetchableRecord>(_ type: T.Type, _ sql: String, _ values: [SQLValue] = []) throws -> [T] {
        try session.rows(sql, values).map { try T(row: PostgresLedger.grdbRow($0)) }
    }

    /// A server row as a GRDB row, to decode a record by column name.
    static func grdbRow(_ row: SQLRow) -> Row {
        var dictionary: [String: (any DatabaseValueConvertible)?] = [:]
        for (column, value) in zip(row.columns, row.values) {
            switch value {
            case .null: dictionary[column] = nil as Int64?
            case .int(let number): dictionary[column] = number
            case .double(let number): dictionary[column] = number
            case .text(let text): dictionary[column] = text
            case .blob(let bytes): dictionary[column] = Data(bytes)
            }
        }
        return Row(dictionary)
    }

    private func text(_ value: String?) -> SQLValue { value.map(SQLValue.text) ?? .null }

    // MARK: runs and logs

    func insertRun(kind: RunKind, trigger: RunTrigger, options: String, identity: ProcessIdentity) throws -> Int64 {
        let rows = try session.rows(
            """
            INSERT INTO cairn_runs (kind, trigger, status, started_at, host, pid, "user", options, pid_namespace)
            VALUES ($1, $2, 'running', $3, $4, $5, $6, $7, $8) RETURNING id
            """,
            [
                .text(kind.rawValue), .text(trigger.rawValue), .text(Timestamp.now()), .text(identity.host),
                .int(Int64(identity.pid)), text(identity.user), .text(options), text(identity.pidNamespace),
            ])
        return rows.first?.values.first?.int ?? 0
    }

    @discardableResult
    func finishRun(_ id: Int64, status: RunStatus, error: String?) throws -> Bool {
        try session.execute(
            "UPDATE cairn_runs SET status = $1, finished_at = $2, error = $3 WHERE id = $4 AND status = 'running'",
            [.text(status.rawValue), .text(Timestamp.now()), text(error?.withVisibleNUL), .int(id)]) > 0
    }

    func appendLogLine(run: Int64, level: LogLevel, message: String, migration: String?) throws {
        try session.execute(
            "INSERT INTO cairn_run_log (run_id, at, level, migration_id, message) VALUES ($1, $2, $3, $4, $5)",
            [.int(run), .text(Timestamp.now()), .text(level.rawValue), text(migration), .text(message.withVisibleNUL)])
    }

    func addToRun(_ id: Int64, events: Int, migrations: Int) throws {
        try session.execute(
            "UPDATE cairn_runs SET events_written = events_written + $1, migrations_applied = migrations_applied + $2 WHERE id = $3",
            [.int(Int64(events)), .int(Int64(migrations)), .int(id)])
    }

    /// The parts of the store's change token the bookkeeping contributes, as on SQLite.
    func changeParts() throws -> [Int64] {
        let row = try session.rows("""
            SELECT (SELECT coalesce(max(id), 0) FROM cairn_runs),
                   (SELECT coalesce(max(id), 0) FROM cairn_run_log),
                   (SELECT count(*) FROM cairn_runs WHERE status = 'running'),
                   (SELECT count(*) FROM cairn_markers),
                   (SELECT count(*) FROM cairn_overrides),
                   (SELECT coalesce(sum(length(reason) + length(created_at)), 0) FROM cairn_overrides),
                   (SELECT coalesce(max(extract(epoch FROM heartbeat_at::timestamptz))::bigint, 0) FROM cairn_lock),
                   (SELECT count(*) FROM cairn_lock)
            """).first
        return (0..<8).map { row?.values[$0].int ?? 0 }
    }

    static let runColumns = """
        id, kind, trigger, status, started_at, finished_at, host, pid, "user", options, error,
        migrations_applied, events_written, pid_namespace
        """

    func runs(limit: Int) throws -> [RunRecord] {
        try records(RunRecord.self, "SELECT \(Self.runColumns) FROM cairn_runs ORDER BY id DESC LIMIT $1", [.int(Int64(limit))])
    }

    func run(_ id: Int64) throws -> RunRecord? {
        try records(RunRecord.self, "SELECT \(Self.runColumns) FROM cairn_runs WHERE id = $1", [.int(id)]).first
    }

    func runningRuns() throws -> [RunRecord] {
        try records(RunRecord.self, "SELECT \(Self.runColumns) FROM cairn_runs WHERE status = 'running' ORDER BY id")
    }

    func rebuildRun(shadowSuffix suffix: String) throws -> RunRecord? {
        try records(
            RunRecord.self,
            """
            SELECT \(Self.runColumns) FROM cairn_runs
            WHERE kind = 'rebuild' AND options LIKE '{%' AND options LIKE '%"shadowSuffix"%'
              AND (options::jsonb ->> 'shadowSuffix') = $1
            ORDER BY id DESC LIMIT 1
            """,
            [.text(suffix)]
        ).first
    }

    func logLines(run: Int64, after: Int64, limit: Int) throws -> [LogLine] {
        try records(
            LogLine.self,
            """
            SELECT id, run_id, at, level, migration_id, message FROM cairn_run_log
            WHERE run_id = $1 AND id > $2 ORDER BY id LIMIT $3
            """,
            [.int(run), .int(after), .int(Int64(limit))])
    }

    // MARK: markers, attempts, overrides

    func markers() throws -> [Marker] {
        try records(Marker.self, "SELECT * FROM cairn_markers ORDER BY migration_id COLLATE \"C\"")
    }

    private static var quotedMarkerColumns: [String] { Marker.columns.map { $0 == "user" ? "\"user\"" : $0 } }

    func insertMarker(_ marker: Marker) throws {
        let columns = Self.quotedMarkerColumns
        try session.execute(
            """
            INSERT INTO cairn_markers (\(columns.joined(separator: ", ")))
            VALUES (\(columns.indices.map { "$\($0 + 1)" }.joined(separator: ", ")))
            """,
            marker.columnValues)
    }

    func updateMarker(_ marker: Marker) throws -> Bool {
        let columns = Self.quotedMarkerColumns
        return try session.execute(
            """
            UPDATE cairn_markers SET \(columns.enumerated().map { "\($1) = $\($0 + 1)" }.joined(separator: ", "))
            WHERE migration_id = $\(columns.count + 1)
            """,
            marker.columnValues + [.text(marker.migrationId)]) == 1
    }

    func deleteMarker(_ migrationId: String) throws {
        try session.execute("DELETE FROM cairn_markers WHERE migration_id = $1", [.text(migrationId)])
    }

    func latestAttempts() throws -> [String: Attempt] {
        let attempts = try records(Attempt.self, """
            SELECT a.*, r.kind AS run_kind, r.options AS run_options FROM cairn_attempts a
            JOIN (SELECT migration_id, max(run_id) AS run_id FROM cairn_attempts GROUP BY migration_id) newest
              ON a.migration_id = newest.migration_id AND a.run_id = newest.run_id
            LEFT JOIN cairn_runs r ON r.id = a.run_id
            """)
        return Dictionary(attempts.map { ($0.migrationId, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func attempts(run: Int64) throws -> [Attempt] {
        try records(Attempt.self, """
            SELECT a.*, r.kind AS run_kind, r.options AS run_options FROM cairn_attempts a
            LEFT JOIN cairn_runs r ON r.id = a.run_id WHERE a.run_id = $1 ORDER BY a.started_at, a.migration_id COLLATE "C"
            """, [.int(run)])
    }

    func skippedMigrations(run: Int64) throws -> [String] {
        try session.rows("""
            SELECT migration_id FROM cairn_run_log
            WHERE run_id = $1 AND migration_id IS NOT NULL AND level = 'warning' AND message LIKE '⤼ %'
            GROUP BY migration_id ORDER BY min(id)
            """, [.int(run)]).compactMap { $0.values.first?.string }
    }

    func eventsWritten(applying migration: String) throws -> Int {
        Int(try session.rows("""
            SELECT coalesce(sum(a.events_written), 0) FROM cairn_attempts a JOIN cairn_runs r ON r.id = a.run_id
            WHERE a.migration_id = $1 AND r.kind = 'migrate'
              AND a.run_id > coalesce((SELECT max(run_id) FROM cairn_attempts WHERE migration_id = $1 AND status = 'reverted'), 0)
            """, [.text(migration)]).first?.values.first?.int ?? 0)
    }

    func startAttempt(run: Int64, migration: String) throws {
        try session.execute(
            """
            INSERT INTO cairn_attempts (run_id, migration_id, status, started_at) VALUES ($1, $2, 'running', $3)
            ON CONFLICT (run_id, migration_id) DO UPDATE SET status = 'running', started_at = excluded.started_at,
              finished_at = NULL, rows_done = 0, events_written = 0, batches = 0, error = NULL
            """,
            [.int(run), .text(migration), .text(Timestamp.now())])
    }

    func addProgress(run: Int64, migration: String, rows: Int, events: Int) throws {
        try session.execute("""
            UPDATE cairn_attempts SET rows_done = rows_done + $1, events_written = events_written + $2, batches = batches + 1
            WHERE run_id = $3 AND migration_id = $4
            """, [.int(Int64(rows)), .int(Int64(events)), .int(run), .text(migration)])
    }

    func finishAttempt(run: Int64, migration: String, status: AttemptStatus, error: String?) throws {
        try session.execute(
            """
            UPDATE cairn_attempts SET status = $1, finished_at = $2, error = $3
            WHERE run_id = $4 AND migration_id = $5 AND status = 'running'
            """,
            [.text(status.rawValue), .text(Timestamp.now()), text(error?.withVisibleNUL), .int(run), .text(migration)])
    }

    func finishRunningAttempts(run: Int64, status: AttemptStatus, error: String?) throws {
        try session.execute(
            "UPDATE cairn_attempts SET status = $1, finished_at = $2, error = $3 WHERE run_id = $4 AND status = 'running'",
            [.text(status.rawValue), .text(Timestamp.now()), text(error?.withVisibleNUL), .int(run)])
    }

    func overrides() throws -> [Override] {
        try records(Override.self, "SELECT * FROM cairn_overrides ORDER BY migration_id COLLATE \"C\"")
    }

    func putOverride(_ override: Override) throws {
        try session.execute(
            """
            INSERT INTO cairn_overrides (migration_id, reason, created_by, created_at, expires_at)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (migration_id) DO UPDATE SET reason = excluded.reason, created_by = excluded.created_by,
              created_at = excluded.created_at, expires_at = excluded.expires_at
            """,
            [
                .text(override.migrationId), .text(override.reason), .text(override.createdBy), .text(override.createdAt),
                text(override.expiresAt),
            ])
    }

    func deleteOverride(_ migrationId: String) throws -> Override? {
        try records(Override.self, "DELETE FROM cairn_overrides WHERE migration_id = $1 RETURNING *", [.text(migrationId)]).first
    }

    // MARK: the lock's row

    func lock() throws -> LockInfo? {
        try records(LockInfo.self, "SELECT * FROM cairn_lock WHERE id = 1").first
    }

    func insertLock(token: String, holder: String, identity: ProcessIdentity, run: Int64?, heartbeat: TimeInterval) throws {
        let now = Timestamp.now()
        try session.execute(
            """
            INSERT INTO cairn_lock (id, token, holder, host, pid, run_id, acquired_at, heartbeat_at, pid_namespace, heartbeat_ms,
                                    backend_pid)
            VALUES (1, $1, $2, $3, $4, $5, $6, $6, $7, $8,
                    (SELECT pid FROM pg_locks WHERE \(PostgresSchema.migrationLockCondition) LIMIT 1))
            """,
            [
                .text(token), .text(holder), .text(identity.host), .int(Int64(identity.pid)), run.map(SQLValue.int) ?? .null,
                .text(now), text(identity.pidNamespace), .int(Int64((heartbeat * 1000).rounded())),
            ])
    }

    func clearLock() throws {
        try session.execute("DELETE FROM cairn_lock WHERE id = 1")
    }

    func releaseLock(token: String) throws {
        try session.execute("DELETE FROM cairn_lock WHERE token = $1", [.text(token)])
    }

    func attachLock(token: String, run: Int64) throws {
        try session.execute("UPDATE cairn_lock SET run_id = $1 WHERE token = $2", [.int(run), .text(token)])
    }

    func refreshLock(token: String) throws -> Bool {
        try session.execute("UPDATE cairn_lock SET heartbeat_at = $1 WHERE token = $2", [.text(Timestamp.now()), .text(token)]) > 0
    }

    // MARK: projections and owed rebuilds

    func projectionRecords() throws -> [ProjectionRecord] {
        try records(ProjectionRecord.self, "SELECT name, version, checkpoint, rebuilt_at FROM cairn_projections")
    }

    func registerProjection(name: String, version: Int) throws {
        try session.execute(
            "INSERT INTO cairn_projections (name, version, checkpoint, updated_at) VALUES ($1, $2, 0, $3) ON CONFLICT (name) DO NOTHING",
            [.text(name), .int(Int64(version)), .text(Timestamp.now())])
    }

    func advanceCheckpoints(from: Int64, to: Int64) throws {
        try session.execute(
            "UPDATE cairn_projections SET checkpoint = $1, updated_at = $2 WHERE checkpoint = $3",
            [.int(to), .text(Timestamp.now()), .int(from)])
    }

    func recordRebuild(name: String, version: Int, checkpoint: Int64) throws {
        let now = Timestamp.now()
        try session.execute(
            """
            INSERT INTO cairn_projections (name, version, checkpoint, rebuilt_at, updated_at)
            VALUES ($1, $2, $3, $4, $4)
            ON CONFLICT (name) DO UPDATE SET version = excluded.version, checkpoint = excluded.checkpoint,
              rebuilt_at = excluded.rebuilt_at, updated_at = excluded.updated_at
            """,
            [.text(name), .int(Int64(version)), .int(checkpoint), .text(now)])
    }

    func owedRebuilds() throws -> [OwedRebuild] {
        try records(
            OwedRebuild.self,
            "SELECT projection, migration_id, run_id, owed_at FROM cairn_owed_projections ORDER BY projection COLLATE \"C\"")
    }

    func oweRebuilds(_ projections: [String], migration: String, run: Int64) throws {
        for projection in projections {
            try session.execute(
                """
                INSERT INTO cairn_owed_projections (projection, migration_id, run_id, owed_at) VALUES ($1, $2, $3, $4)
                ON CONFLICT (projection) DO UPDATE SET migration_id = excluded.migration_id, run_id = excluded.run_id,
                  owed_at = excluded.owed_at
                """,
                [.text(projection), .text(migration), .int(run), .text(Timestamp.now())])
        }
    }

    func settleRebuilds(_ projections: [String]) throws {
        for projection in projections {
            try session.execute("DELETE FROM cairn_owed_projections WHERE projection = $1", [.text(projection)])
        }
    }
}
