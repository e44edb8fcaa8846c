import CairnStore

/// Folds incident events into `incidents(id, tenant_id, title, severity, status)`.
public struct IncidentsProjection: Projection {
    public let name = "incidents"
    public let version = 1
    public let tables = [
        ReadTable(
            name: "incidents",
            columns: """
                id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, title TEXT NOT NULL,
                severity TEXT NOT NULL, status TEXT NOT NULL
                """,
            primaryKey: ["id"], indexes: [["tenant_id", "status"]]),
    ]
    public let eventTypes: Set<String> = [DemoEvents.incidentOpened, DemoEvents.incidentResolved]

    public init() {}

    public func apply(_ event: StoredEvent, in context: ProjectionContext) throws {
        let table = context.table("incidents")
        let payload = try event.payloadObject()
        if event.type == DemoEvents.incidentOpened {
            try context.execute("""
                INSERT INTO \(table) (id, tenant_id, title, severity, status) VALUES (?, ?, ?, ?, 'open')
                ON CONFLICT (id) DO UPDATE SET tenant_id = excluded.tenant_id, title = excluded.title,
                  severity = excluded.severity, status = excluded.status
                """,
                [
                    event.streamId, try payload.string("tenantId"), try payload.string("title"),
                    try payload.string("severity"),
                ])
        } else {
            try context.execute("UPDATE \(table) SET status = 'resolved' WHERE id = ?", [event.streamId])
        }
    }
}
