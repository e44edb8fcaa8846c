/// The async entry points on the SQLite store itself: a method of the concrete type would
/// otherwise win over the protocol's async one, and async code would block its thread.
extension EventStore {
    /// Runs `body` in one write transaction without blocking the caller's thread (see `EventStoring`).
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
