import CairnStore

/// Folds `user.registered` into `users(id, email, name)`.
public struct UsersProjection: Projection {
    public let name = "users"
    public let version = 1
    public let tables = [
        ReadTable(name: "users", columns: "id TEXT PRIMARY KEY, email TEXT NOT NULL, name TEXT NOT NULL",
                  primaryKey: ["id"], indexes: [["email"]]),
    ]
    public let eventTypes: Set<String> = [DemoEvents.userRegistered]

    public init() {}

    public func apply(_ event: StoredEvent, in context: ProjectionContext) throws {
        let payload = try event.payloadObject()
        try context.execute("""
                INSERT INTO \(context.table("users")) (id, email, name) VALUES (?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET email = excluded.email, name = excluded.name
                """,
            [event.streamId, try payload.string("email"), try payload.string("name")])
    }
}
