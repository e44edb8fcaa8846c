import GRDBSQLite

/// A plain SQLite C-API connection for the raw-SQL references: no GRDB, no Cairn code.
final class RawConnection {
    let db: OpaquePointer

    /// Opens `path` read-write in WAL mode with `synchronous = NORMAL`, as the store does, or read-only.
    init(path: String, readOnly: Bool = false) throws {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE, nil) == SQLITE_OK,
              let db else {
            throw BenchError("cannot open \(path)")
        }
        self.db = db
        if !readOnly {
            try exec("PRAGMA journal_mode = WAL")
            try exec("PRAGMA synchronous = NORMAL")
        }
    }

    deinit { sqlite3_close_v2(db) }

    /// Runs SQL without results.
    func exec(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw BenchError(String(cString: sqlite3_errmsg(db))) }
    }

    /// Compiles a statement kept for many executions; the caller finalizes it.
    func prepare(_ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK,
              let statement else {
            throw BenchError(String(cString: sqlite3_errmsg(db)))
        }
        return statement
    }
}
