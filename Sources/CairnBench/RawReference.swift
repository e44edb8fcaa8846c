import Foundation
import GRDBSQLite

/// The physical limit of the apply workload: the same reads and writes as Cairn's
/// runner, handler and projection, as prepared statements on the C API, with no
/// Cairn code — batches of 256 candidate rows per transaction, a membership lookup,
/// the stream's events read, its version checked, one event inserted, the read
/// table updated, checkpoints and a marker.
enum RawReference {
    static func apply(path: String, batch: Int = 256) throws -> Int {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let db else {
            throw BenchError("cannot open \(path)")
        }
        defer { sqlite3_close_v2(db) }
        func exec(_ sql: String) throws {
            guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw BenchError(String(cString: sqlite3_errmsg(db))) }
        }
        func prepare(_ sql: String) throws -> OpaquePointer {
            var statement: OpaquePointer?
            guard sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK, let statement else {
                throw BenchError(String(cString: sqlite3_errmsg(db)))
            }
            return statement
        }
        try exec("PRAGMA journal_mode = WAL")
        try exec("PRAGMA synchronous = NORMAL")
        let candidates = try prepare("""
            SELECT payload ->> '$.userId', payload ->> '$.tenantId', payload ->> '$.roles', payload FROM (
              SELECT json_object('userId', user_id, 'tenantId', tenant_id, 'roles', json('["Member","Viewer"]')) AS payload
              FROM memberships WHERE roles = '["Member"]') LIMIT ?
            """)
        let lookup = try prepare("SELECT id FROM memberships WHERE user_id = ? AND tenant_id = ?")
        let load = try prepare("""
            SELECT position, stream_id, stream_type, tenant_id, version, type, schema_version, payload, metadata, recorded_at
            FROM events WHERE stream_id = ? AND tenant_id = ? ORDER BY version
            """)
        let current = try prepare("SELECT version, tenant_id, stream_type FROM events WHERE stream_id = ? ORDER BY version DESC LIMIT 1")
        let insert = try prepare("""
            INSERT INTO events (stream_id, stream_type, tenant_id, version, type, schema_version, payload, metadata, recorded_at, migration_id, run_id)
            VALUES (?, 'tenant-membership', ?, ?, 'tenant-membership.updated', 1, ?, ?, ?, 'raw-reference', 0)
            """)
        let project = try prepare("UPDATE memberships SET roles = ? WHERE id = ?")
        let checkpoint = try prepare("UPDATE cairn_projections SET checkpoint = ? WHERE checkpoint = ?")
        let head = try prepare("SELECT max(position) FROM events")
        defer {
            for statement in [candidates, lookup, load, current, insert, project, checkpoint, head] { sqlite3_finalize(statement) }
        }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        func bind(_ statement: OpaquePointer, _ index: Int32, _ text: String) {
            sqlite3_bind_text(statement, index, text, -1, transient)
        }
        func text(_ statement: OpaquePointer, _ column: Int32) -> String {
            String(cString: sqlite3_column_text(statement, column))
        }
        var total = 0
        let metadata = #"{"actor":"system","handler":"tenant:write:update-member-roles","migrationId":"raw-reference","runId":0}"#
        while true {
            try exec("BEGIN IMMEDIATE")
            sqlite3_reset(head)
            sqlite3_step(head)
            let before = sqlite3_column_int64(head, 0)
            sqlite3_reset(candidates)
            sqlite3_bind_int(candidates, 1, Int32(batch))
            var rows: [(String, String, String)] = []
            while sqlite3_step(candidates) == SQLITE_ROW {
                rows.append((text(candidates, 0), text(candidates, 1), text(candidates, 2)))
            }
            let now = ISO8601DateFormatter().string(from: Date())
            for (userId, tenantId, roles) in rows {
                sqlite3_reset(lookup)
                bind(lookup, 1, userId)
                bind(lookup, 2, tenantId)
                guard sqlite3_step(lookup) == SQLITE_ROW else { throw BenchError("no membership") }
                let membership = text(lookup, 0)
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
                let payload = #"{"membershipId":"\#(membership)","roles":\#(roles),"tenantId":"\#(tenantId)","userId":"\#(userId)"}"#
                sqlite3_reset(insert)
                bind(insert, 1, membership)
                bind(insert, 2, tenantId)
                sqlite3_bind_int64(insert, 3, version + 1)
                bind(insert, 4, payload)
                bind(insert, 5, metadata)
                bind(insert, 6, now)
                guard sqlite3_step(insert) == SQLITE_DONE else { throw BenchError(String(cString: sqlite3_errmsg(db))) }
                sqlite3_reset(project)
                bind(project, 1, roles)
                bind(project, 2, membership)
                sqlite3_step(project)
            }
            total += rows.count
            sqlite3_reset(candidates)
            sqlite3_bind_int(candidates, 1, 1)
            let finished = sqlite3_step(candidates) != SQLITE_ROW
            sqlite3_reset(candidates)
            sqlite3_reset(head)
            sqlite3_step(head)
            sqlite3_reset(checkpoint)
            sqlite3_bind_int64(checkpoint, 1, sqlite3_column_int64(head, 0))
            sqlite3_bind_int64(checkpoint, 2, before)
            sqlite3_step(checkpoint)
            if finished {
                try exec("INSERT INTO cairn_markers (migration_id, checksum, description, applied_at, duration_ms, trigger, host, pid, run_id, events_written) VALUES ('raw-reference', '', '', '', 0, 'cli', '', 0, 0, \(total))")
            }
            try exec("COMMIT")
            if finished { return total }
        }
    }

    /// A plain scan of every event, extracting with json_extract what the projections read.
    static func scan(path: String) throws -> Int {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK, let db else { throw BenchError("cannot open") }
        defer { sqlite3_close_v2(db) }
        var statement: OpaquePointer?
        sqlite3_prepare_v2(db, """
            SELECT position, stream_id, type, tenant_id, json_extract(payload, '$.userId'), json_extract(payload, '$.tenantId'),
                   json_extract(payload, '$.roles'), json_extract(payload, '$.name'), json_extract(payload, '$.title')
            FROM events ORDER BY position
            """, -1, &statement, nil)
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

/// A benchmark could not run.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
