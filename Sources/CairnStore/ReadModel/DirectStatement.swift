import Foundation
import GRDB
import GRDBSQLite

/// A statement of GRDB's cache driven straight through SQLite's C API: bound, stepped and
/// read without GRDB's argument boxing and row values, for the statements every appended
/// event runs.
///
/// GRDB prepares and caches the statement; the rest is SQLite's own API. GRDB's transaction
/// observers do not see these statements, so they run only where Cairn registers none: a
/// store transaction's appends, and a rebuild's replay, whose live-table guard is SQLite's
/// own update hook (`LiveTableGuard`). Every value is bound on each use (GRDB, reusing a
/// cached statement, binds its own arguments again too). Failures throw GRDB's
/// `DatabaseError` with SQLite's code and message, as GRDB's own statements do, so everything
/// that explains a full disk or a constraint reads them alike.
package struct DirectStatement {
    /// GRDB's statement, from the connection's cache.
    package let statement: Statement
    private let db: Database

    private var handle: OpaquePointer { statement.sqliteStatement }

    /// The cached statement for `sql`, reset, ready to bind.
    ///
    /// - Throws: `DatabaseError` when SQLite cannot prepare it, or when the connection's
    ///   transaction was rolled back under it (a full disk can do that): nothing runs outside it.
    package init(_ db: Database, sql: String) throws {
        try self.init(db, statement: try db.cachedStatement(sql: sql))
    }

    /// `statement`, prepared on `db` earlier in this transaction, reset, ready to bind.
    package init(_ db: Database, statement: Statement) throws {
        self.db = db
        self.statement = statement
        // SQLite's own answer: GRDB's `isInsideTransaction` also checks the dispatch queue, on every statement.
        guard let connection = db.sqliteConnection, sqlite3_get_autocommit(connection) == 0 else {
            throw DatabaseError(
                resultCode: .SQLITE_ABORT, message: "Transaction was aborted", sql: statement.sql)
        }
        sqlite3_reset(statement.sqliteStatement)
    }

    /// The number of `?` parameters the statement takes.
    package var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// Binds text to the 1-based parameter `index`; the caller refuses text that holds a NUL.
    package func bind(_ index: Int32, _ text: String) {
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else {
                _ = sqlite3_bind_text(handle, index, "", 0, Self.transient)
                return
            }
            _ = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { pointer in
                sqlite3_bind_text(handle, index, pointer, Int32(bytes.count), Self.transient)
            }
        }
    }

    /// Binds an integer to the 1-based parameter `index`.
    package func bind(_ index: Int32, _ number: Int64) {
        sqlite3_bind_int64(handle, index, number)
    }

    /// Binds `text` or NULL.
    package func bind(_ index: Int32, _ text: String?) {
        if let text { bind(index, text) } else { sqlite3_bind_null(handle, index) }
    }

    /// Binds a store-neutral value.
    package func bind(_ index: Int32, _ value: SQLValue) {
        switch value {
        case .null: sqlite3_bind_null(handle, index)
        case .int(let number): sqlite3_bind_int64(handle, index, number)
        case .double(let number): sqlite3_bind_double(handle, index, number)
        case .text(let text): bind(index, text)
        case .blob(let bytes):
            bytes.withUnsafeBytes { raw in
                if let base = raw.baseAddress, !raw.isEmpty {
                    _ = sqlite3_bind_blob(handle, index, base, Int32(raw.count), Self.transient)
                } else {
                    _ = sqlite3_bind_zeroblob(handle, index, 0)
                }
            }
        }
    }

    /// Steps once: true when a row is there to read, false when the statement is done.
    ///
    /// - Throws: `DatabaseError` with SQLite's result code and message; the statement is reset.
    package func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }

    /// Steps until the statement is done, then resets it.
    package func run() throws {
        while try step() {}
        sqlite3_reset(handle)
    }

    /// Resets the statement, ending its read, and clears nothing else.
    package func finish() {
        sqlite3_reset(handle)
    }

    /// Rows this statement stepped through in full table scans since the last call; the count starts again.
    package func takeFullScanSteps() -> Int {
        Int(sqlite3_stmt_status(handle, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1))
    }

    /// The number of columns a row has.
    package var columnCount: Int32 { sqlite3_column_count(handle) }

    /// Column `index` of the current row as an integer.
    package func int64(_ index: Int32) -> Int64 {
        sqlite3_column_int64(handle, index)
    }

    /// Column `index` of the current row as text, read by its byte length (NULL reads as empty).
    package func text(_ index: Int32) -> String {
        guard let pointer = sqlite3_column_text(handle, index) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// Column `index` of the current row as text, or `previous` itself when it holds the same
    /// bytes: the events of one stream repeat their type, tenant and metadata, and a string
    /// shared costs no allocation.
    package func text(_ index: Int32, reusing previous: String?) -> String {
        guard var previous else { return text(index) }
        let count = Int(sqlite3_column_bytes(handle, index))
        guard let pointer = sqlite3_column_text(handle, index) else { return "" }
        let same = previous.withUTF8 { bytes in
            bytes.count == count && (count == 0 || memcmp(bytes.baseAddress!, pointer, count) == 0)
        }
        return same ? previous : String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// Column `index` of the current row as text, or nil when it is NULL.
    package func optionalText(_ index: Int32) -> String? {
        sqlite3_column_type(handle, index) == SQLITE_NULL ? nil : text(index)
    }

    /// Column `index` of the current row as a store-neutral value of its storage class.
    package func value(_ index: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .int(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT: return .double(sqlite3_column_double(handle, index))
        case SQLITE_TEXT: return .text(text(index))
        default:
            let count = Int(sqlite3_column_bytes(handle, index))
            guard count > 0, let pointer = sqlite3_column_blob(handle, index) else { return .blob([]) }
            return .blob([UInt8](UnsafeRawBufferPointer(start: pointer, count: count)))
        }
    }

    /// SQLite copies bound text and blobs before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
