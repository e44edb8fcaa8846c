import CairnStore

/// Folds `tenant.created` into `tenants(id, slug, name)`.
public struct TenantsProjection: Projection {
    public let name = "tenants"
    public let version = 1
    public let tables = [
        ReadTable(name: "tenants", columns: "id TEXT PRIMARY KEY, slug TEXT NOT NULL, name TEXT NOT NULL",
                  primaryKey: ["id"], indexes: [["slug"]]),
    ]
    public let eventTypes: Set<String> = [DemoEvents.tenantCreated]

    public init() {}

    public func apply(_ event: StoredEvent, in context: ProjectionContext) throws {
        let payload = try event.payloadObject()
        try context.execute("""
                INSERT INTO \(context.table("tenants")) (id, slug, name) VALUES (?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET slug = excluded.slug, name = excluded.name
                """,
            [event.streamId, try payload.string("slug"), try payload.string("name")])
    }
}
