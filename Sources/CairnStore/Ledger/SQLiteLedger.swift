import GRDB

/// The ledger on SQLite: every statement on the `cairn_*` tables, over a GRDB
/// connection inside the caller's transaction.
///
/// Records are decoded with GRDB's `FetchableRecord`; statements used on hot
/// paths are cached.
public struct SQLiteLedger: LedgerWriting {
    /// The connection, inside a transaction the caller holds.
    package let db: Database

    /// A ledger over `db`.
    package init(_ db: Database) {
        self.db = db
    }

    /// The SQL of the statements the benchmark's raw reference prepares itself, so
    /// even its hand-written program takes the bookkeeping's text from here.
    public enum Statement {
        /// Moves projections from one checkpoint to the next (arguments: to, now, from).
        public static let advanceCheckpoints =
            "UPDATE cairn_projections SET checkpoint = ?, updated_at = ? WHERE checkpoint = ?"
        /// Refreshes the lock's heartbeat (arguments: now, token); each batch of a run does.
        public static let refreshLock = "UPDATE cairn_lock SET heartbeat_at = ? WHERE token = ?"
        /// Adds a batch to an attempt (arguments: rows, events, run id, migration id).
        public static let addProgress = """
            UPDATE cairn_attempts SET rows_done = rows_done + ?, events_written = events_written + ?, batches = batches + 1
            WHERE run_id = ? AND migration_id = ?
            """
        /// Adds to a run's counters (arguments: events, migrations, run id).
        public static let addToRun =
            "UPDATE cairn_runs SET events_written = events_written + ?, migrations_applied = migrations_applied + ? WHERE id = ?"
        /// Writes a bare marker (arguments: migration id, events written).
        public static let insertBareMarker = """
            INSERT INTO cairn_markers (migration_id, checksum, description, applied_at, duration_ms, trigger, host, pid,
                                       run_id, events_written)
            VALUES (?, '', '', '', 0, 'cli', '', 0, 0, ?)
            """
    }

    // MARK: runs and logs

    public func insertRun(kind: RunKind, trigger: RunTrigger, options: String, identity: ProcessIdentity) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO cairn_runs (kind, trigger, status, started_at, host, pid, user, options, pid_namespace)
                VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                kind.rawValue, trigger.rawValue, Timestamp.now(), identity.host, identity.pid, identity.user, options,
                identity.pidNamespace,
            ])
        return db.lastInsertedRowID
    }

    @discardableResult
    public func finishRun(_ id: Int64, status: RunStatus, error: String?) throws -> Bool {
        try db.execute(
            sql: "UPDATE cairn_runs SET status = ?, finished_at = ?, error = ? WHERE id = ? AND status = 'running'",
            arguments: [status.rawValue, Timestamp.now(), error?.withVisibleNUL, id])
        return db.changesCount > 0
    }

    public func appendLogLine(run: Int64, level: LogLevel, message: String, migration: String?) throws {
        try db.cachedStatement(sql: "INSERT INTO cairn_run_log (run_id, at, level, migration_id, message) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [run, Timestamp.now(), level.rawValue, migration, message.withVisibleNUL])
    }

    public func addToRun(_ id: Int64, events: Int, migrations: Int) throws {
        try db.cachedStatement(sql: Statement.addToRun).execute(arguments: [events, migrations, id])
    }

    /// The parts of the store's change token the bookkeeping contributes: the newest
    /// run and log line, running runs, markers, overrides and the lock's heartbeat.
    func changeParts() throws -> [Int64] {
        let row = try Row.fetchOne(db, sql: """
            SELECT (SELECT coalesce(max(id), 0) FROM cairn_runs),
                   (SELECT coalesce(max(id), 0) FROM cairn_run_log),
                   (SELECT count(*) FROM cairn_runs WHERE status = 'running'),
                   (SELECT count(*) FROM cairn_markers),
                   (SELECT count(*) FROM cairn_overrides),
                   (SELECT coalesce(sum(length(reason) + length(created_at)), 0) FROM cairn_overrides),
                   (SELECT coalesce(max(CAST(strftime('%s', heartbeat_at) AS INTEGER)), 0) FROM cairn_lock),
                   (SELECT count(*) FROM cairn_lock)
            """)
        return (0..<8).map { row?[$0] ?? 0 }
    }

    static let runColumns = """
        id, kind, trigger, status, started_at, finished_at, host, pid, user, options, error,
        migrations_applied, events_written, pid_namespace
        """

    public func runs(limit: Int) throws -> [RunRecord] {
        try RunRecord.fetchAll(db, sql: "SELECT \(Self.runColumns) FROM cairn_runs ORDER BY id DESC LIMIT ?", arguments: [limit])
    }

    public func run(_ id: Int64) throws -> RunRecord? {
        try RunRecord.fetchOne(db, sql: "SELECT \(Self.runColumns) FROM cairn_runs WHERE id = ?", arguments: [id])
    }

    public func runningRuns() throws -> [RunRecord] {
        try RunRecord.fetchAll(db, sql: "SELECT \(Self.runColumns) FROM cairn_runs WHERE status = 'running' ORDER BY id")
    }

    public func rebuildRun(shadowSuffix suffix: String) throws -> RunRecord? {
        try RunRecord.fetchOne(
            db,
            sql: """
                SELECT \(Self.runColumns) FROM cairn_runs
                WHERE kind = 'rebuild' AND json_valid(options) AND json_extract(options, '$.shadowSuffix') = ?
                ORDER BY id DESC LIMIT 1
                """,
            arguments: [suffix])
    }

    public func logLines(run: Int64, after: Int64, limit: Int) throws -> [LogLine] {
        try LogLine.fetchAll(
            db,
            sql: """
                SELECT id, run_id, at, level, migration_id, message FROM cairn_run_log
                WHERE run_id = ? AND id > ? ORDER BY id LIMIT ?
                """,
            arguments: [run, after, limit])
    }
}
