import Foundation
import GRDBSQLite

/// The gate's SQLite authorizer: allows reading, `SELECT`, recursive CTEs and
/// allow-listed functions, and remembers the first thing it refused, in words.
///
/// Reached from the C callback that `HardenedConnection` installs.
final class QueryAuthorizer {
    let allowedFunctions: Set<String>
    /// The first thing it refused since the last reset, in words.
    private(set) var firstDenial: QueryRefusal?
    /// True once the statement being prepared turned out to be a SELECT.
    private(set) var sawSelect = false

    init(allowedFunctions: Set<String>) {
    self.allowedFunctions = allowedFunctions
    }

    /// Forgets what it saw, before the next statement is prepared.
    func reset() {
    firstDenial = nil
    sawSelect = false
    }

    func authorize(_ action: Int32, _ first: String?, _ second: String?) -> Int32 {
        switch action {
        case SQLITE_SELECT:
            sawSelect = true
            return SQLITE_OK
        case SQLITE_READ:
            if let table = first?.lowercased(), table.hasPrefix("pragma_") {
                deny(.notReadOnly, "it reads \(table), a PRAGMA function; a candidate query reads tables and views only")
                return SQLITE_DENY
            }
            return SQLITE_OK
        case SQLITE_RECURSIVE:
            return SQLITE_OK
        case SQLITE_UPDATE where first == "sqlite_master":
            // SQLite reports this while preparing a table-valued function such as
            // json_each (it registers the eponymous virtual table). A statement that
            // really writes the schema is still refused: it is not read-only, and
            // the connection is read-only and defensive.
            return SQLITE_OK
        case SQLITE_FUNCTION:
            let name = (second ?? "").lowercased()
            if allowedFunctions.contains(name) { return SQLITE_OK }
            deny(.function, "it calls \(name)(), which is not on the allow-list of functions")
            return SQLITE_DENY
        default:
            deny(.notReadOnly, "it would \(QueryAuthorizer.describe(action, first, second)); a candidate query may only read")
            return SQLITE_DENY
        }
    }

    private func deny(_ kind: QueryRefusal.Kind, _ message: String) {
        if firstDenial == nil {
            firstDenial = QueryRefusal(kind: kind, message: message)
        }
    }

    /// A readable name for an authorizer action.
    static func describe(_ action: Int32, _ first: String?, _ second: String?) -> String {
        if first == "sqlite_master" || first == "sqlite_temp_master" {
            return "change the database schema (CREATE, DROP or ALTER)"
        }
        let target = first.map { " \($0)" } ?? ""
        switch action {
        case SQLITE_INSERT: return "INSERT into\(target)"
        case SQLITE_UPDATE: return "UPDATE\(target)"
        case SQLITE_DELETE: return "DELETE from\(target)"
        case SQLITE_PRAGMA: return "run PRAGMA\(target)"
        case SQLITE_ATTACH: return "ATTACH a database"
        case SQLITE_DETACH: return "DETACH a database"
        case SQLITE_TRANSACTION: return "control a transaction (\(first ?? ""))"
        case SQLITE_SAVEPOINT: return "use a SAVEPOINT"
        case SQLITE_CREATE_TABLE, SQLITE_CREATE_TEMP_TABLE: return "CREATE TABLE\(target)"
        case SQLITE_CREATE_INDEX, SQLITE_CREATE_TEMP_INDEX: return "CREATE INDEX\(target)"
        case SQLITE_CREATE_VIEW, SQLITE_CREATE_TEMP_VIEW: return "CREATE VIEW\(target)"
        case SQLITE_CREATE_TRIGGER, SQLITE_CREATE_TEMP_TRIGGER: return "CREATE TRIGGER\(target)"
        case SQLITE_CREATE_VTABLE: return "CREATE VIRTUAL TABLE\(target)"
        case SQLITE_DROP_TABLE, SQLITE_DROP_TEMP_TABLE, SQLITE_DROP_VTABLE: return "DROP TABLE\(target)"
        case SQLITE_DROP_INDEX, SQLITE_DROP_TEMP_INDEX: return "DROP INDEX\(target)"
        case SQLITE_DROP_VIEW, SQLITE_DROP_TEMP_VIEW: return "DROP VIEW\(target)"
        case SQLITE_DROP_TRIGGER, SQLITE_DROP_TEMP_TRIGGER: return "DROP TRIGGER\(target)"
        case SQLITE_ALTER_TABLE: return "ALTER TABLE\(second.map { " \($0)" } ?? "")"
        case SQLITE_REINDEX: return "REINDEX"
        case SQLITE_ANALYZE: return "ANALYZE"
        default: return "perform a write (authorizer action \(action))"
        }
    }
}
