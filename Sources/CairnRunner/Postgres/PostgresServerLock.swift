import CairnPostgres
import CairnStore
import Foundation

/// The migration lock's server side on PostgreSQL: a session-level advisory lock held on a
/// connection of its own for as long as the runner holds the lock.
///
/// When the holder's process dies (even by `kill -9`), its connection closes and the server
/// releases the lock at once; the next runner takes it and the lock row it finds is known to
/// be stale.
final class PostgresServerLock: ServerLock {
    /// The advisory lock's key: one per database.
    static let key = PostgresSchema.migrationLockKey

    private let store: PostgresStore
    private var session: PostgresSession?
    private var held = false

    init(store: PostgresStore) throws {
        self.store = store
        do {
            session = try PostgresSession(url: store.url, applicationName: "cairn lock")
        } catch {
            throw store.explain(error, operation: "connecting for the migration lock")
        }
    }

    deinit {
        release()
    }

    func tryAcquire() throws -> Bool {
        guard let session else { return false }
        if held { return true }
        held = try store.translating("taking the migration lock") {
            try session.rows("SELECT pg_try_advisory_lock($1)", [.int(Self.key)]).first?.values.first?.int == 1
        }
        return held
    }

    func release() {
        guard let session else { return }
        self.session = nil
        if held {
            // Closing the connection releases the lock too: the unlock is a courtesy, bounded in time.
            _ = try? session.execute("SELECT pg_advisory_unlock($1)", [.int(Self.key)], timeout: 3)
        }
        held = false
        session.close()
    }

}

extension PostgresStore {
    public func makeServerLock() throws -> (any ServerLock)? {
        try PostgresServerLock(store: self)
    }

    public func serverLockHolder() throws -> ServerLockHolder? {
        let pid = try withSession { session in
            try translating("reading who holds the migration lock") {
                try session.rows("SELECT pid FROM pg_locks WHERE \(PostgresSchema.migrationLockCondition) LIMIT 1").first?.values.first?.int
            }
        }
        return pid.map { .held(backendPID: Int32($0)) } ?? .free
    }

    public func endServerLockHolder() throws -> String? {
        guard case .held(let pid)? = try serverLockHolder() else {
            return "no connection held the lock on the server"
        }
        return try withSession { session in
            do {
                let ended = try session.rows("SELECT pg_terminate_backend($1::integer)", [.int(Int64(pid))]).first?.values.first?.int == 1
                return ended
                    ? "ended the holder's database connection (server process \(pid)), so the server released its lock"
                    : "the holder's database connection (server process \(pid)) had already ended"
            } catch {
                let explained = explain(error, operation: "ending the lock holder's connection")
                if let failure = explained as? PostgresStoreError, failure.kind == .permission {
                    return "could not end the holder's database connection (server process \(pid)): \(failure.message);"
                        + " the lock row is removed, and the holder stops at its next batch; a superuser, or a member of"
                        + " pg_signal_backend, may end it with SELECT pg_terminate_backend(\(pid))"
                }
                throw explained
            }
        }
    }
}
