import CairnStore

/// The `members` read table: who may borrow.
public struct MembersProjection: Projection {
    public let name = "members"
    public let version = 1
    public let tables = [ReadTable(name: "members", columns: "id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL",
                                   primaryKey: ["id"])]
    public let eventTypes: Set<String> = ["member.registered"]

    public init() {}

    public func apply(_ event: StoredEvent, in context: ProjectionContext) throws {
        let member = try event.decodePayload(as: LibraryEvents.MemberRegistered.self)
        // Always the table the context names: a rebuild points it at a shadow table.
        try context.execute("""
            INSERT INTO \(context.table("members")) (id, name, email) VALUES (?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email
            """, [member.memberId, member.name, member.email])
    }
}
