import CairnStore

/// Folds membership events into `memberships(id, user_id, tenant_id, roles, stream_tenant)`.
///
/// `roles` is a JSON array (`jsonb` on PostgreSQL); `stream_tenant` is the tenant whose stream holds the
/// membership, which differs from `tenant_id` for the demo's trapped membership.
public struct MembershipsProjection: Projection {
    public let name = "memberships"
    public let version = 1
    public let tables = [
        ReadTable(
            name: "memberships",
            columns: """
                id TEXT PRIMARY KEY, user_id TEXT NOT NULL, tenant_id TEXT NOT NULL,
                roles TEXT NOT NULL, stream_tenant TEXT NOT NULL
                """,
            primaryKey: ["id"], indexes: [["user_id", "tenant_id"], ["tenant_id"]],
            postgresColumns: """
                id TEXT PRIMARY KEY, user_id TEXT NOT NULL, tenant_id TEXT NOT NULL,
                roles JSONB NOT NULL, stream_tenant TEXT NOT NULL
                """),
    ]
    public let eventTypes: Set<String> = [
        DemoEvents.membershipAdded, DemoEvents.membershipUpdated, DemoEvents.membershipRemoved,
    ]

    public init() {}

    public func apply(_ event: StoredEvent, in context: ProjectionContext) throws {
        let table = context.table("memberships")
        let payload = try event.payloadObject()
        switch event.type {
        case DemoEvents.membershipAdded:
            try context.execute("""
                    INSERT INTO \(table) (id, user_id, tenant_id, roles, stream_tenant) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, tenant_id = excluded.tenant_id,
                      roles = excluded.roles, stream_tenant = excluded.stream_tenant
                    """,
                [
                    event.streamId, try payload.string("userId"), try payload.string("tenantId"),
                    JSONValue.array(try payload.strings("roles").map(JSONValue.string)).jsonText, event.tenantId,
                ])
        case DemoEvents.membershipUpdated:
            try context.execute("UPDATE \(table) SET roles = ? WHERE id = ?",
                [JSONValue.array(try payload.strings("roles").map(JSONValue.string)).jsonText, event.streamId])
        default:
            try context.execute("DELETE FROM \(table) WHERE id = ?", [event.streamId])
        }
    }
}
