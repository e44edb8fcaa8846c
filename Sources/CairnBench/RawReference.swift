import Foundation
import GRDBSQLite
import CairnStore

/// The physical limit of the apply workload: the same reads and writes as Cairn's
/// runner, handler and projection, as prepared statements on the C API, with no
/// Cairn code — batches of 256 candidate rows per transaction, a membership lookup,
/// the stream's events read, its version checked, one event inserted, the read
/// table updated; per batch the lock's heartbeat, the attempt's and the run's counters
/// and the checkpoints; a marker at the end.
///
/// One step stays where Cairn has none: the version is checked by asking the stream's
/// head, which Cairn knows from the load (the reference is the per-row program Cairn is
/// measured against, one statement per step).
enum RawReference {
    static func apply(path: String, batch: Int = 256) throws -> Int {
        let connection = try RawConnection(path: path)
        let db = connection.db
        let exec = connection.exec, prepare = connection.prepare
        // The payload is made once per row, as Cairn's query makes it, then read: a plain
        // subquery is flattened by SQLite, which then builds the JSON once per `->>`, four times.
        let candidates = try prepare("""
            WITH candidates AS MATERIALIZED (
              SELECT json_object('userId', user_id, 'tenantId', tenant_id, 'roles', json('["Member","Viewer"]')) AS payload
              FROM memberships WHERE roles = '["Member"]' LIMIT ?)
            SELECT payload ->> '$.userId', payload ->> '$.tenantId', payload ->> '$.roles', payload FROM candidates
            """)
        let lookup = try prepare("SELECT id FROM memberships WHERE user_id = ? AND tenant_id = ?")
        let load = try prepare("""
            SELECT position, stream_id, stream_type, tenant_id, version, type, schema_version, payload, metadata, recorded_at
            FROM events WHERE stream_id = ? AND tenant_id = ? ORDER BY version
            """)
        let current = try prepare("SELECT version, tenant_id, stream_type FROM events WHERE stream_id = ? ORDER BY version DESC LIMIT 1")
        let insert = try prepare("""
            INSERT INTO events (stream_id, stream_type, tenant_id, version, type, schema_version, payload, metadata, recorded_at, migration_id, run_id)
            VALUES (?, 'tenant-membership', ?, ?, 'tenant-membership.updated', 1, ?, ?, ?, ?, 0)
            """)
        let project = try prepare("UPDATE memberships SET roles = ? WHERE id = ?")
        // The bookkeeping's statements come from the ledger, their one owner; the program around them is raw.
        let checkpoint = try prepare(SQLiteLedger.Statement.advanceCheckpoints)
        let marker = try prepare(SQLiteLedger.Statement.insertBareMarker)
        let refresh = try prepare(SQLiteLedger.Statement.refreshLock)
        let progress = try prepare(SQLiteLedger.Statement.addProgress)
        let counters = try prepare(SQLiteLedger.Statement.addToRun)
        let head = try prepare("SELECT max(position) FROM events")
        defer {
            for statement in [candidates, lookup, load, current, insert, project, checkpoint, marker, refresh, progress, counters, head] {
                sqlite3_finalize(statement)
            }
        }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        func bind(_ statement: OpaquePointer, _ index: Int32, _ text: String) {
            sqlite3_bind_text(statement, index, text, -1, transient)
        }
        func text(_ statement: OpaquePointer, _ column: Int32) -> String {
            String(cString: sqlite3_column_text(statement, column))
        }
        // The same bytes as Cairn's events: its migration id in the column and the metadata,
        // its timestamps with milliseconds (shorter rows fill fewer pages and flatter the reference).
        let migration = BenchStore.migrationId, token = "raw-reference"
        // The rows a run works on, as Cairn's run starts them: the run, its attempt, the lock.
        let started = Timestamp.now()
        try exec("BEGIN IMMEDIATE")
        try exec("INSERT INTO cairn_runs (kind, trigger, status, started_at, host, pid) VALUES ('up', 'cli', 'running', '\(started)', 'raw', 0)")
        let run = sqlite3_last_insert_rowid(db)
        try exec("""
            INSERT INTO cairn_attempts (run_id, migration_id, status, started_at) VALUES (\(run), '\(migration)', 'running', '\(started)');
            INSERT OR REPLACE INTO cairn_lock (id, token, holder, host, pid, run_id, acquired_at, heartbeat_at)
              VALUES (1, '\(token)', 'raw', 'raw', 0, \(run), '\(started)', '\(started)');
            COMMIT
            """)
        var total = 0
        let metadata = #"{"actor":"system","handler":"tenant:write:update-member-roles","migrationId":"\#(migration)","runId":0}"#
        while true {
            try exec("BEGIN IMMEDIATE")
            sqlite3_reset(head)
            sqlite3_step(head)
            let before = sqlite3_column_int64(head, 0)
            // Every statement is reset once read, as Cairn's are: a statement left on its row keeps
            // the connection's read transaction open past COMMIT, and SQLite's automatic WAL
            // checkpoint then cannot run (it did not, once in a whole run, before 2026-12-03).
            sqlite3_reset(head)
            let now = Timestamp.now()
            sqlite3_reset(refresh)
            bind(refresh, 1, now)
            bind(refresh, 2, token)
            guard sqlite3_step(refresh) == SQLITE_DONE, sqlite3_changes(db) == 1 else { throw BenchError("the raw reference lost its lock") }
            sqlite3_reset(candidates)
            sqlite3_bind_int(candidates, 1, Int32(batch))
            var rows: [(String, String, String)] = []
            while sqlite3_step(candidates) == SQLITE_ROW {
                rows.append((text(candidates, 0), text(candidates, 1), text(candidates, 2)))
            }
            for (userId, tenantId, roles) in rows {
                sqlite3_reset(lookup)
                bind(lookup, 1, userId)
                bind(lookup, 2, tenantId)
                guard sqlite3_step(lookup) == SQLITE_ROW else { throw BenchError("no membership") }
                let membership = text(lookup, 0)
                sqlite3_reset(lookup)
                sqlite3_reset(load)
                bind(load, 1, membership)
                bind(load, 2, tenantId)
                var version: Int64 = 0
                while sqlite3_step(load) == SQLITE_ROW { version = sqlite3_column_int64(load, 4) }
                sqlite3_reset(current)
                bind(current, 1, membership)
                guard sqlite3_step(current) == SQLITE_ROW, sqlite3_column_int64(current, 0) == version else {
                    throw BenchError("version conflict")
                }
                sqlite3_reset(current)
                let payload = #"{"membershipId":"\#(membership)","roles":\#(roles),"tenantId":"\#(tenantId)","userId":"\#(userId)"}"#
                sqlite3_reset(insert)
                bind(insert, 1, membership)
                bind(insert, 2, tenantId)
                sqlite3_bind_int64(insert, 3, version + 1)
                bind(insert, 4, payload)
                bind(insert, 5, metadata)
                bind(insert, 6, now)
                bind(insert, 7, migration)
                guard sqlite3_step(insert) == SQLITE_DONE else { throw BenchError(String(cString: sqlite3_errmsg(db))) }
                sqlite3_reset(project)
                bind(project, 1, roles)
                bind(project, 2, membership)
                sqlite3_step(project)
            }
            total += rows.count
            // The attempt's and the run's counters, as Cairn's batch adds them.
            sqlite3_reset(progress)
            sqlite3_bind_int64(progress, 1, Int64(rows.count))
            sqlite3_bind_int64(progress, 2, Int64(rows.count))
            sqlite3_bind_int64(progress, 3, run)
            bind(progress, 4, migration)
            sqlite3_reset(counters)
            sqlite3_bind_int64(counters, 1, Int64(rows.count))
            sqlite3_bind_int64(counters, 2, 0)
            sqlite3_bind_int64(counters, 3, run)
            for statement in [progress, counters] {
                guard sqlite3_step(statement) == SQLITE_DONE, sqlite3_changes(db) == 1 else {
                    throw BenchError("the raw reference could not count its batch")
                }
            }
            sqlite3_reset(candidates)
            sqlite3_bind_int(candidates, 1, 1)
            let finished = sqlite3_step(candidates) != SQLITE_ROW
            sqlite3_reset(candidates)
            sqlite3_reset(head)
            sqlite3_step(head)
            sqlite3_reset(checkpoint)
            sqlite3_bind_int64(checkpoint, 1, sqlite3_column_int64(head, 0))
            sqlite3_reset(head)
            bind(checkpoint, 2, now)
            sqlite3_bind_int64(checkpoint, 3, before)
            sqlite3_step(checkpoint)
            if finished {
                bind(marker, 1, migration)
                sqlite3_bind_int64(marker, 2, Int64(total))
                guard sqlite3_step(marker) == SQLITE_DONE else { throw BenchError("the raw reference could not write its marker") }
            }
            try exec("COMMIT")
            if finished { return total }
        }
    }

    /// A plain scan of every event, extracting with json_extract what the projections read.
    static func scan(path: String) throws -> Int {
        let connection = try RawConnection(path: path, readOnly: true)
        let statement = try connection.prepare("""
            SELECT position, stream_id, type, tenant_id, json_extract(payload, '$.userId'), json_extract(payload, '$.tenantId'),
                   json_extract(payload, '$.roles'), json_extract(payload, '$.name'), json_extract(payload, '$.title')
            FROM events ORDER BY position
            """)
        defer { sqlite3_finalize(statement) }
        var count = 0
        var bytes = 0
        while sqlite3_step(statement) == SQLITE_ROW {
            count += 1
            for column in 1..<9 { bytes += Int(sqlite3_column_bytes(statement, Int32(column))) }
        }
        return count + (bytes < 0 ? 1 : 0)
    }
}

extension RawReference {
    /// The physical limit of a rebuild: the json_extract scan plus the same writes the
    /// demo projections make, into fresh tables with the same keys and indexes, as
    /// prepared statements in transactions of 5,000 events. Not one of the issue's
    /// ratios; the table shows it to say how much of a rebuild is SQLite's writing.
    static func replay(path: String, chunk: Int = 5_000) throws -> Int {
        let connection = try RawConnection(path: path)
        let exec = connection.exec, prepare = connection.prepare
        try exec("""
            DROP TABLE IF EXISTS raw_tenants; DROP TABLE IF EXISTS raw_users; DROP TABLE IF EXISTS raw_memberships; DROP TABLE IF EXISTS raw_incidents;
            CREATE TABLE raw_tenants (id TEXT PRIMARY KEY, slug TEXT NOT NULL, name TEXT NOT NULL);
            CREATE INDEX raw_tenants_by_slug ON raw_tenants(slug);
            CREATE TABLE raw_users (id TEXT PRIMARY KEY, email TEXT NOT NULL, name TEXT NOT NULL);
            CREATE INDEX raw_users_by_email ON raw_users(email);
            CREATE TABLE raw_memberships (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, tenant_id TEXT NOT NULL, roles TEXT NOT NULL, stream_tenant TEXT NOT NULL);
            CREATE INDEX raw_memberships_by_user ON raw_memberships(user_id, tenant_id);
            CREATE INDEX raw_memberships_by_tenant ON raw_memberships(tenant_id);
            CREATE TABLE raw_incidents (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, title TEXT NOT NULL, severity TEXT NOT NULL, status TEXT NOT NULL);
            CREATE INDEX raw_incidents_by_tenant ON raw_incidents(tenant_id, status);
            """)
        let events = try prepare("""
            SELECT position, stream_id, type, tenant_id, json_extract(payload, '$.userId'), json_extract(payload, '$.tenantId'),
                   json_extract(payload, '$.roles'), json_extract(payload, '$.name'), json_extract(payload, '$.title'),
                   json_extract(payload, '$.slug'), json_extract(payload, '$.email'), coalesce(json_extract(payload, '$.severity'), 'unknown')
            FROM events WHERE position > ? ORDER BY position LIMIT ?
            """)
        let tenant = try prepare("INSERT OR REPLACE INTO raw_tenants (id, slug, name) VALUES (?, ?, ?)")
        let user = try prepare("INSERT OR REPLACE INTO raw_users (id, email, name) VALUES (?, ?, ?)")
        let added = try prepare("INSERT OR REPLACE INTO raw_memberships (id, user_id, tenant_id, roles, stream_tenant) VALUES (?, ?, ?, ?, ?)")
        let updated = try prepare("UPDATE raw_memberships SET roles = ? WHERE id = ?")
        let removed = try prepare("DELETE FROM raw_memberships WHERE id = ?")
        let opened = try prepare("INSERT OR REPLACE INTO raw_incidents (id, tenant_id, title, severity, status) VALUES (?, ?, ?, ?, 'open')")
        let resolved = try prepare("UPDATE raw_incidents SET status = 'resolved' WHERE id = ?")
        defer { for statement in [events, tenant, user, added, updated, removed, opened, resolved] { sqlite3_finalize(statement) } }
        func run(_ statement: OpaquePointer, _ columns: [Int32]) {
            sqlite3_reset(statement)
            for (index, column) in columns.enumerated() {
                sqlite3_bind_value(statement, Int32(index + 1), sqlite3_column_value(events, column))
            }
            sqlite3_step(statement)
        }
        var last: Int64 = 0, total = 0
        while true {
            try exec("BEGIN IMMEDIATE")
            sqlite3_reset(events)
            sqlite3_bind_int64(events, 1, last)
            sqlite3_bind_int(events, 2, Int32(chunk))
            var count = 0
            while sqlite3_step(events) == SQLITE_ROW {
                count += 1
                last = sqlite3_column_int64(events, 0)
                switch String(cString: sqlite3_column_text(events, 2)) {
                case "tenant.created": run(tenant, [1, 9, 7])
                case "user.registered": run(user, [1, 10, 7])
                case "tenant-membership.added": run(added, [1, 4, 5, 6, 3])
                case "tenant-membership.updated": run(updated, [6, 1])
                case "tenant-membership.removed": run(removed, [1])
                case "incident.opened": run(opened, [1, 5, 8, 11])
                case "incident.resolved": run(resolved, [1])
                default: break
                }
            }
            try exec("COMMIT")
            total += count
            if count < chunk { break }
        }
        try exec("DROP TABLE raw_tenants; DROP TABLE raw_users; DROP TABLE raw_memberships; DROP TABLE raw_incidents")
        return total
    }
}

/// A benchmark could not run.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
