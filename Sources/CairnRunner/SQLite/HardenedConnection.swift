import CSQLiteShim
import Foundation
import GRDBSQLite

/// The gate's own SQLite connection, opened so that it cannot write: read-only,
/// `PRAGMA query_only = 1`, defensive mode, an untrusted schema, no attachable
/// databases, with the gate's authorizer and the deadline's progress handler installed.
final class HardenedConnection {
    /// The connection; valid until deinit.
    let db: OpaquePointer
    /// Decides what statements prepared here may do.
    let authorizer: QueryAuthorizer
    /// The time limit for statements stepped here.
    let deadline = QueryDeadline()

    /// Opens and hardens a connection to the database at `path`.
    ///
    /// - Throws: `QueryGateError` when it cannot be opened or hardened.
    init(path: String, authorizer: QueryAuthorizer) throws {
        var handle: OpaquePointer?
        let rc = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "code \(rc)"
            sqlite3_close_v2(handle)
            throw QueryGateError(path: path, message: "cannot open a read-only connection: \(message)")
        }
        sqlite3_busy_timeout(handle, 10_000)
        guard cairn_harden_connection(handle) == SQLITE_OK,
              sqlite3_exec(handle, "PRAGMA query_only = 1", nil, nil, nil) == SQLITE_OK else {
            let message = String(cString: sqlite3_errmsg(handle))
            sqlite3_close_v2(handle)
            throw QueryGateError(path: path, message: "cannot harden the read-only connection: \(message)")
        }
        self.db = handle
        self.authorizer = authorizer
        sqlite3_set_authorizer(handle, { context, action, first, second, _, _ in
            Unmanaged<QueryAuthorizer>.fromOpaque(context!).takeUnretainedValue()
                .authorize(action, first.map { String(cString: $0) }, second.map { String(cString: $0) })
        }, Unmanaged.passUnretained(authorizer).toOpaque())
        deadline.install(on: handle)
    }

    deinit {
        sqlite3_close_v2(db)
    }
}
