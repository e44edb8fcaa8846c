import GRDB

/// The store's own tables — events and the `cairn_*` bookkeeping — and their upgrades.
///
/// The schema carries its own version in `cairn_meta` rather than in GRDB's
/// `grdb_migrations` table, which belongs to the application embedding Cairn:
/// sharing it would make either side see the other's migrations as unknown.
enum BookkeepingSchema {
    /// The statements that bring the schema from version `index` to `index + 1`.
    static let steps: [[String]] = [
        [
            """
            CREATE TABLE cairn_meta (
              key TEXT PRIMARY KEY,
              value TEXT NOT NULL)
            """,
            """
            CREATE TABLE events (
              position INTEGER PRIMARY KEY AUTOINCREMENT,
              stream_id TEXT NOT NULL,
              stream_type TEXT NOT NULL,
              tenant_id TEXT NOT NULL,
              version INTEGER NOT NULL CHECK (version >= 1),
              type TEXT NOT NULL,
              schema_version INTEGER NOT NULL DEFAULT 1,
              payload TEXT NOT NULL CHECK (json_valid(payload)),
              metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
              recorded_at TEXT NOT NULL,
              migration_id TEXT,
              run_id INTEGER,
              UNIQUE (stream_id, version))
            """,
            "CREATE INDEX events_by_type ON events(type, position)",
            // Plain columns, not an index on json_extract(metadata): the read-only
            // gate runs with an untrusted schema, where JSON functions in the
            // schema are refused.
            "CREATE INDEX events_by_migration ON events(migration_id, run_id) WHERE migration_id IS NOT NULL",
            """
            CREATE TABLE cairn_projections (
              name TEXT PRIMARY KEY,
              version INTEGER NOT NULL,
              checkpoint INTEGER NOT NULL DEFAULT 0,
              rebuilt_at TEXT,
              updated_at TEXT NOT NULL)
            """,
            """
            CREATE TABLE cairn_runs (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              kind TEXT NOT NULL,
              trigger TEXT NOT NULL,
              status TEXT NOT NULL,
              started_at TEXT NOT NULL,
              finished_at TEXT,
              host TEXT NOT NULL,
              pid INTEGER NOT NULL,
              user TEXT,
              options TEXT NOT NULL DEFAULT '{}',
              error TEXT,
              migrations_applied INTEGER NOT NULL DEFAULT 0,
              events_written INTEGER NOT NULL DEFAULT 0)
            """,
            "CREATE INDEX cairn_runs_by_status ON cairn_runs(status, id)",
            """
            CREATE TABLE cairn_run_log (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              run_id INTEGER NOT NULL REFERENCES cairn_runs(id),
              at TEXT NOT NULL,
              level TEXT NOT NULL,
              migration_id TEXT,
              message TEXT NOT NULL)
            """,
            "CREATE INDEX cairn_run_log_by_run ON cairn_run_log(run_id, id)",
            """
            CREATE TABLE cairn_markers (
              migration_id TEXT PRIMARY KEY,
              checksum TEXT NOT NULL,
              description TEXT NOT NULL,
              applied_at TEXT NOT NULL,
              duration_ms INTEGER NOT NULL,
              trigger TEXT NOT NULL,
              host TEXT NOT NULL,
              pid INTEGER NOT NULL,
              user TEXT,
              run_id INTEGER NOT NULL,
              events_written INTEGER NOT NULL,
              allow_drift INTEGER NOT NULL DEFAULT 0)
            """,
            """
            CREATE TABLE cairn_attempts (
              run_id INTEGER NOT NULL REFERENCES cairn_runs(id),
              migration_id TEXT NOT NULL,
              status TEXT NOT NULL,
              started_at TEXT NOT NULL,
              finished_at TEXT,
              rows_done INTEGER NOT NULL DEFAULT 0,
              events_written INTEGER NOT NULL DEFAULT 0,
              batches INTEGER NOT NULL DEFAULT 0,
              error TEXT,
              PRIMARY KEY (run_id, migration_id))
            """,
            "CREATE INDEX cairn_attempts_by_migration ON cairn_attempts(migration_id, run_id)",
            """
            CREATE TABLE cairn_overrides (
              migration_id TEXT PRIMARY KEY,
              reason TEXT NOT NULL,
              created_by TEXT NOT NULL,
              created_at TEXT NOT NULL,
              expires_at TEXT)
            """,
            """
            CREATE TABLE cairn_lock (
              id INTEGER PRIMARY KEY CHECK (id = 1),
              token TEXT NOT NULL,
              holder TEXT NOT NULL,
              host TEXT NOT NULL,
              pid INTEGER NOT NULL,
              run_id INTEGER,
              acquired_at TEXT NOT NULL,
              heartbeat_at TEXT NOT NULL)
            """,
        ],
        // 2: rebuilds owed by applied migrations, settled when a rebuild of the projection swaps in;
        // the PID namespace of runs and the lock holder, so a process in another namespace is never taken for dead.
        [
            "ALTER TABLE cairn_runs ADD COLUMN pid_namespace TEXT",
            "ALTER TABLE cairn_lock ADD COLUMN pid_namespace TEXT",
            // How often the holder refreshes its heartbeat, so no waiter's --stale-after can outrun it.
            "ALTER TABLE cairn_lock ADD COLUMN heartbeat_ms INTEGER",
            """
            CREATE TABLE cairn_owed_projections (
              projection TEXT PRIMARY KEY,
              migration_id TEXT NOT NULL,
              run_id INTEGER NOT NULL,
              owed_at TEXT NOT NULL)
            """,
        ],
        // 3: the recovery verbs and the checksum's normalisation version. A marker keeps how its
        // checksum was taken (markers written before are version 1: byte-order mark dropped, line
        // endings made \n), whether a baseline wrote it, and its last repair or retirement: the
        // checksum it replaced, who, when, why and in which run.
        [
            "ALTER TABLE cairn_markers ADD COLUMN checksum_version INTEGER NOT NULL DEFAULT 1",
            "ALTER TABLE cairn_markers ADD COLUMN baseline INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE cairn_markers ADD COLUMN baseline_reason TEXT",
            "ALTER TABLE cairn_markers ADD COLUMN retired INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE cairn_markers ADD COLUMN previous_checksum TEXT",
            "ALTER TABLE cairn_markers ADD COLUMN previous_checksum_version INTEGER",
            "ALTER TABLE cairn_markers ADD COLUMN repaired_at TEXT",
            "ALTER TABLE cairn_markers ADD COLUMN repaired_user TEXT",
            "ALTER TABLE cairn_markers ADD COLUMN repaired_host TEXT",
            "ALTER TABLE cairn_markers ADD COLUMN repair_reason TEXT",
            "ALTER TABLE cairn_markers ADD COLUMN repair_run_id INTEGER",
        ],
    ]

    /// The schema version this build writes and understands.
    static var currentVersion: Int { steps.count }

    /// The schema version stored in the database: 0 when it has no Cairn tables yet.
    static func storedVersion(_ db: Database) throws -> Int {
        guard try db.tableExists("cairn_meta") else { return 0 }
        let text = try String.fetchOne(db, sql: "SELECT value FROM cairn_meta WHERE key = 'schema_version'")
        return text.flatMap(Int.init) ?? 0
    }

    /// Applies the steps between the stored version and the current one.
    static func upgrade(_ db: Database, from stored: Int) throws {
        guard stored < currentVersion else { return }
        for step in steps[stored...] {
            for statement in step {
                try db.execute(sql: statement)
            }
        }
        try db.execute(
            sql: "INSERT OR REPLACE INTO cairn_meta (key, value) VALUES ('schema_version', ?)",
            arguments: [String(currentVersion)])
    }
}
