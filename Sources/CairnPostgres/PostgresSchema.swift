import CairnStore

/// The store's own tables on PostgreSQL: the same tables and columns as on SQLite
/// (`events` and the `cairn_*` bookkeeping), in PostgreSQL's types.
///
/// Payloads and metadata are `jsonb`; times stay ISO 8601 UTC text as on SQLite, so
/// they read and compare the same on both stores. Positions come from a sequence, so a
/// rolled-back append leaves a gap, and an append may commit after one with a higher
/// position: a reader in position order waits for the transactions that could still
/// commit below it (see `PostgresRebuilder`). `cairn_lock` keeps the holder's server
/// process id, so `unlock --force` can end its connection.
package enum PostgresSchema {
    /// The version of the bookkeeping this build writes: the SQLite store's, whose columns it has.
    static let version = 3

    /// The key of the transaction-level advisory lock that serialises creating the tables.
    static let setupLockKey: Int64 = 0x6361_6972_6e00_0001

    /// The key of the transaction advisory lock every appending transaction takes first: Cairn's writers one at a time.
    package static let writerLockKey: Int64 = 0x6361_6972_6e00_0003

    /// The key of the session advisory lock that is the migration lock's server side.
    package static let migrationLockKey: Int64 = 0x6361_6972_6e00_0002

    /// The condition on `pg_locks` that finds the migration lock's holder (a bigint key is two halves).
    package static let migrationLockCondition = """
        locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND classid = ((\(migrationLockKey) >> 32) & 4294967295)::bigint::oid
          AND objid = (\(migrationLockKey) & 4294967295)::bigint::oid AND objsubid = 1 AND granted
        """

    /// The statements that create every table and index that is missing.
    static let create: [String] = [
        """
        CREATE TABLE IF NOT EXISTS cairn_meta (
          key text PRIMARY KEY,
          value text NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS events (
          position bigserial PRIMARY KEY,
          stream_id text NOT NULL,
          stream_type text NOT NULL,
          tenant_id text NOT NULL,
          version integer NOT NULL CHECK (version >= 1),
          type text NOT NULL,
          schema_version integer NOT NULL DEFAULT 1,
          payload jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
          metadata jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
          recorded_at text NOT NULL,
          migration_id text,
          run_id bigint,
          UNIQUE (stream_id, version))
        """,
        "CREATE INDEX IF NOT EXISTS events_by_type ON events(type, position)",
        "CREATE INDEX IF NOT EXISTS events_by_migration ON events(migration_id, run_id) WHERE migration_id IS NOT NULL",
        """
        CREATE TABLE IF NOT EXISTS cairn_projections (
          name text PRIMARY KEY,
          version integer NOT NULL,
          checkpoint bigint NOT NULL DEFAULT 0,
          rebuilt_at text,
          updated_at text NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS cairn_runs (
          id bigserial PRIMARY KEY,
          kind text NOT NULL,
          trigger text NOT NULL,
          status text NOT NULL,
          started_at text NOT NULL,
          finished_at text,
          host text NOT NULL,
          pid integer NOT NULL,
          "user" text,
          options text NOT NULL DEFAULT '{}',
          error text,
          migrations_applied integer NOT NULL DEFAULT 0,
          events_written integer NOT NULL DEFAULT 0,
          pid_namespace text)
        """,
        "CREATE INDEX IF NOT EXISTS cairn_runs_by_status ON cairn_runs(status, id)",
        """
        CREATE TABLE IF NOT EXISTS cairn_run_log (
          id bigserial PRIMARY KEY,
          run_id bigint NOT NULL REFERENCES cairn_runs(id),
          at text NOT NULL,
          level text NOT NULL,
          migration_id text,
          message text NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS cairn_run_log_by_run ON cairn_run_log(run_id, id)",
        """
        CREATE TABLE IF NOT EXISTS cairn_markers (
          migration_id text PRIMARY KEY,
          checksum text NOT NULL,
          description text NOT NULL,
          applied_at text NOT NULL,
          duration_ms bigint NOT NULL,
          trigger text NOT NULL,
          host text NOT NULL,
          pid integer NOT NULL,
          "user" text,
          run_id bigint NOT NULL,
          events_written bigint NOT NULL,
          allow_drift integer NOT NULL DEFAULT 0,
          checksum_version integer NOT NULL DEFAULT 1,
          baseline integer NOT NULL DEFAULT 0,
          baseline_reason text,
          retired integer NOT NULL DEFAULT 0,
          previous_checksum text,
          previous_checksum_version integer,
          repaired_at text,
          repaired_user text,
          repaired_host text,
          repair_reason text,
          repair_run_id bigint)
        """,
        """
        CREATE TABLE IF NOT EXISTS cairn_attempts (
          run_id bigint NOT NULL REFERENCES cairn_runs(id),
          migration_id text NOT NULL,
          status text NOT NULL,
          started_at text NOT NULL,
          finished_at text,
          rows_done bigint NOT NULL DEFAULT 0,
          events_written bigint NOT NULL DEFAULT 0,
          batches integer NOT NULL DEFAULT 0,
          error text,
          PRIMARY KEY (run_id, migration_id))
        """,
        "CREATE INDEX IF NOT EXISTS cairn_attempts_by_migration ON cairn_attempts(migration_id, run_id)",
        """
        CREATE TABLE IF NOT EXISTS cairn_overrides (
          migration_id text PRIMARY KEY,
          reason text NOT NULL,
          created_by text NOT NULL,
          created_at text NOT NULL,
          expires_at text)
        """,
        """
        CREATE TABLE IF NOT EXISTS cairn_lock (
          id integer PRIMARY KEY CHECK (id = 1),
          token text NOT NULL,
          holder text NOT NULL,
          host text NOT NULL,
          pid integer NOT NULL,
          run_id bigint,
          acquired_at text NOT NULL,
          heartbeat_at text NOT NULL,
          pid_namespace text,
          heartbeat_ms integer,
          backend_pid integer)
        """,
        """
        CREATE TABLE IF NOT EXISTS cairn_owed_projections (
          projection text PRIMARY KEY,
          migration_id text NOT NULL,
          run_id bigint NOT NULL,
          owed_at text NOT NULL)
        """,
    ]

    /// A read table's `CREATE` statements for PostgreSQL: its PostgreSQL columns when it
    /// declares them, else the same definitions as on SQLite.
    static func createStatements(_ table: ReadTable, as name: String) -> [String] {
        table.createStatements(as: name, columns: table.postgresColumns ?? table.columns)
    }
}
