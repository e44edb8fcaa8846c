import Foundation
import GRDB

/// The migration lock's row on SQLite.
extension SQLiteLedger {
    public func lock() throws -> LockInfo? {
        try LockInfo.fetchOne(db, sql: "SELECT * FROM cairn_lock WHERE id = 1")
    }

    public func insertLock(token: String, holder: String, identity: ProcessIdentity, run: Int64?, heartbeat: TimeInterval) throws {
        let now = Timestamp.now()
        try db.execute(
            sql: """
                INSERT INTO cairn_lock (id, token, holder, host, pid, run_id, acquired_at, heartbeat_at, pid_namespace, heartbeat_ms)
                VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                token, holder, identity.host, identity.pid, run, now, now, identity.pidNamespace, Int((heartbeat * 1000).rounded()),
            ])
    }

    public func clearLock() throws {
        try db.execute(sql: "DELETE FROM cairn_lock WHERE id = 1")
    }

    public func releaseLock(token: String) throws {
        try db.execute(sql: "DELETE FROM cairn_lock WHERE token = ?", arguments: [token])
    }

    public func attachLock(token: String, run: Int64) throws {
        try db.execute(sql: "UPDATE cairn_lock SET run_id = ? WHERE token = ?", arguments: [run, token])
    }

    public func refreshLock(token: String) throws -> Bool {
        try db.cachedStatement(sql: Statement.refreshLock)
            .execute(arguments: [Timestamp.now(), token])
        return db.changesCount > 0
    }
}
