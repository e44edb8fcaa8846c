import CairnStore
import CSQLiteShim
import Foundation
import GRDB
import GRDBSQLite

/// Records the changes made to read tables on one connection, with SQLite's
/// session extension, and reports them as row changes.
///
/// The session consolidates several changes of one row into one: the row as it
/// was before the session started against the row as it is now.
final class ChangeRecorder: ChangeCapture {
    private var session: UnsafeMutableRawPointer?
    private let columns: [String: [String]]

    /// Starts recording changes to `tables` on `db`.
    init(db: Database, tables: [String]) throws {
        var columns: [String: [String]] = [:]
        for table in tables {
            columns[table] = try db.columns(in: table).map(\.name)
        }
        self.columns = columns
        guard let first = tables.first else { return }
        var session: UnsafeMutableRawPointer?
        let rc = cairn_session_start(db.sqliteConnection, first, &session)
        guard rc == SQLITE_OK, let session else {
            throw ChangeRecorderError(message: "cannot start recording changes (SQLite code \(rc))")
        }
        self.session = session
        for table in tables.dropFirst() {
            let rc = cairn_session_attach(session, table)
            guard rc == SQLITE_OK else {
                throw ChangeRecorderError(message: "cannot record changes to \(table) (SQLite code \(rc))")
            }
        }
    }

    deinit {
        if let session { cairn_session_delete(session) }
    }

    /// The changes recorded so far, table by table in key order.
    func changes() throws -> [RowChange] {
        try changes(limit: Int.max).shown
    }

    /// The first `limit` changes in table and key order, and the number of changed rows.
    ///
    /// The session's changeset is streamed through a temporary file and read back one change
    /// at a time, so a preview of many rows never holds all its changes in memory (where no
    /// temporary file can be made, it is read from one buffer); only the `limit` smallest keys
    /// so far are kept (trimmed whenever twice as many pile up).
    func changes(limit: Int) throws -> (shown: [RowChange], total: Int, byTable: [String: ChangeTally]) {
        guard let session else { return ([], 0, [:]) }
        if let file = tmpfile() {
            defer { fclose(file) }
            if cairn_session_changeset_to_file(session, file) == SQLITE_OK, fflush(file) == 0 {
                rewind(file)
                var iterator: UnsafeMutableRawPointer?
                guard cairn_changeset_start_from_file(&iterator, file) == SQLITE_OK, let iterator else {
                    throw ChangeRecorderError(message: "cannot read the recorded changes")
                }
                defer { _ = cairn_changeset_finalize(iterator) }
                return try read(iterator, limit: limit)
            }
        }
        var size: Int32 = 0
        var buffer: UnsafeMutableRawPointer?
        let rc = cairn_session_changeset(session, &size, &buffer)
        guard rc == SQLITE_OK else { throw ChangeRecorderError(message: "cannot read the recorded changes (SQLite code \(rc))") }
        defer { sqlite3_free(buffer) }
        guard size > 0, let buffer else { return ([], 0, [:]) }
        var iterator: UnsafeMutableRawPointer?
        guard cairn_changeset_start(&iterator, size, buffer) == SQLITE_OK, let iterator else {
            throw ChangeRecorderError(message: "cannot read the recorded changes")
        }
        defer { _ = cairn_changeset_finalize(iterator) }
        return try read(iterator, limit: limit)
    }

    /// Reads the changes `iterator` gives, keeping the first `limit` in table and key order.
    ///
    /// Once `limit` changes are kept, a change whose table and key sort after the last of them
    /// cannot be shown: it is counted, and its fields are not read.
    private func read(_ iterator: UnsafeMutableRawPointer, limit: Int) throws -> (shown: [RowChange], total: Int, byTable: [String: ChangeTally]) {
        var kept: [(table: String, key: String, change: RowChange)] = []
        var total = 0
        var byTable: [String: ChangeTally] = [:]
        let trimAt = limit > Int.max / 2 ? Int.max : limit * 2
        /// The table and key of the last change kept, once `limit` are kept.
        var cutoff: (table: String, key: String)?
        func trim() {
            kept.sort { ($0.table, $0.key) < ($1.table, $1.key) }
            if kept.count > limit { kept.removeSubrange(limit...) }
            if kept.count == limit, let last = kept.last { cutoff = (last.table, last.key) }
        }
        var table = ""
        var step = SQLITE_ROW
        while true {
            step = cairn_changeset_next(iterator)
            guard step == SQLITE_ROW else { break }
            var tablePointer: UnsafePointer<CChar>?
            var count: Int32 = 0
            var op: Int32 = 0
            guard cairn_changeset_op(iterator, &tablePointer, &count, &op) == SQLITE_OK, let tablePointer else { continue }
            // A changeset holds each table's changes together: the name is made once per table.
            if table.isEmpty || !table.withCString({ strcmp($0, tablePointer) == 0 }) { table = String(cString: tablePointer) }
            var flags: UnsafeMutablePointer<UInt8>?
            var keyCount: Int32 = 0
            _ = cairn_changeset_pk(iterator, &flags, &keyCount)
            let names = columns[table] ?? (0..<Int(count)).map { "column\($0)" }
            let kind: RowChange.Kind = op == SQLITE_INSERT ? .insert : op == SQLITE_DELETE ? .delete : .update
            total += 1
            byTable[table, default: ChangeTally()].count(kind)
            guard limit > 0 else { continue }
            func old(_ index: Int) -> JSONValue? {
                op == SQLITE_INSERT ? nil : cairn_changeset_old(iterator, Int32(index)).map(ChangeRecorder.value)
            }
            func new(_ index: Int) -> JSONValue? {
                op == SQLITE_DELETE ? nil : cairn_changeset_new(iterator, Int32(index)).map(ChangeRecorder.value)
            }
            func name(_ index: Int) -> String { index < names.count ? names[index] : "column\(index)" }
            var key: [String: JSONValue] = [:]
            for index in 0..<Int(count) where flags.map({ $0[index] != 0 }) ?? false {
                key[name(index)] = old(index) ?? new(index) ?? .null
            }
            let keyValue: JSONValue = key.count == 1 ? key.values.first! : .object(key)
            let keyText: String
            if case .string(let text) = keyValue { keyText = text } else { keyText = keyValue.jsonText }
            if let cutoff, (table, keyText) >= cutoff { continue }
            var fields: [String: RowChange.Field] = [:]
            for index in 0..<Int(count) {
                switch op {
                case SQLITE_INSERT:
                    fields[name(index)] = RowChange.Field(old: nil, new: new(index) ?? .null)
                case SQLITE_DELETE:
                    fields[name(index)] = RowChange.Field(old: old(index) ?? .null, new: nil)
                default:
                    // An update carries the new value only for the columns that changed.
                    if let newValue = new(index) {
                        fields[name(index)] = RowChange.Field(old: old(index) ?? .null, new: newValue)
                    }
                }
            }
            kept.append((table, keyText, RowChange(table: table, key: keyValue, kind: kind, fields: fields, columnOrder: names)))
            if kept.count >= trimAt { trim() }
        }
        guard step == SQLITE_DONE else {
            throw ChangeRecorderError(message: "cannot read the recorded changes (SQLite code \(step))")
        }
        trim()
        return (kept.map(\.change), total, byTable)
    }

    /// A column value as JSON: integers, reals and text as they are, blobs as hex text.
    private static func value(_ pointer: OpaquePointer) -> JSONValue {
        switch sqlite3_value_type(pointer) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .int(sqlite3_value_int64(pointer))
        case SQLITE_FLOAT: return .double(sqlite3_value_double(pointer))
        case SQLITE_TEXT:
            guard let text = sqlite3_value_text(pointer) else { return .string("") }
            let length = Int(sqlite3_value_bytes(pointer))
            return .string(String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self))
        default:
            let length = Int(sqlite3_value_bytes(pointer))
            guard let bytes = sqlite3_value_blob(pointer) else { return .string("x''") }
            let data = UnsafeRawBufferPointer(start: bytes, count: length)
            return .string("x'" + data.map { String(format: "%02x", $0) }.joined() + "'")
        }
    }
}

/// Recording read-model changes failed.
struct ChangeRecorderError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
