extension EventStoring {
    /// Runs `body` in one write transaction without blocking the caller's thread.
    ///
    /// The same as `write(_:)`, for async code (a Vapor or Hummingbird route): the
    /// transaction runs on Cairn's own threads, never on Swift's cooperative pool, and the
    /// caller is suspended until it commits or rolls back.
    public func write<T: Sendable>(_ body: @escaping @Sendable (StoreTransaction) throws -> T) async throws -> T {
        try await BlockingWork.run { try self.write(body) }
    }

    /// Handles one command in its own transaction without blocking the caller's thread.
    ///
    /// ```swift
    /// let events = try await store.execute(Command(
    ///     "library:write:lend-book", payload: try Payload(encoding: lend), actor: Actor(role: .member, id: userId)))
    /// ```
    @discardableResult
    public func execute(_ command: Command) async throws -> [StoredEvent] {
        try await BlockingWork.run { try self.execute(command) }
    }

    /// Runs `body` on a read-only snapshot without blocking the caller's thread.
    public func query<T: Sendable>(_ body: @escaping @Sendable (any ReadModel) throws -> T) async throws -> T {
        try await BlockingWork.run { try self.query(body) }
    }
}
