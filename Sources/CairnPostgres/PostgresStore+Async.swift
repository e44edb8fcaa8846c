import CairnStore

/// The async entry points on the PostgreSQL store itself, as on the SQLite one: the
/// transaction runs on Cairn's own threads, which wait for the server, never on Swift's
/// cooperative pool.
extension PostgresStore {
    /// Runs `body` in one write transaction without blocking the caller's thread.
    public func write<T: Sendable>(_ body: @escaping @Sendable (StoreTransaction) throws -> T) async throws -> T {
        try await BlockingWork.run { try self.write(body) }
    }

    /// Handles one command in its own transaction without blocking the caller's thread.
    @discardableResult
    public func execute(_ command: Command) async throws -> [StoredEvent] {
        try await BlockingWork.run { try self.execute(command) }
    }

    /// Runs `body` on a read-only snapshot without blocking the caller's thread.
    public func query<T: Sendable>(_ body: @escaping @Sendable (any ReadModel) throws -> T) async throws -> T {
        try await BlockingWork.run { try self.query(body) }
    }
}
