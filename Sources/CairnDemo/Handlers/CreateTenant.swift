import CairnStore

/// `tenant:write:create` {tenantId, slug, name}: creates a tenant in its own stream.
public struct CreateTenant: CommandHandler {
    public let name = QualifiedName(validated: "tenant:write:create")
    public let access = DemoStreams.access

    public init() {}

    public func handle(_ payload: Payload, in context: HandlerContext) throws {
        let tenantId = try payload.string("tenantId")
        let slug = try payload.string("slug")
        let name = try payload.string("name")
        guard QualifiedName.isKebabWord(slug) else {
            throw HandlerRejection(field: "slug", reason: "must be lower-case kebab-case, got '\(slug)'")
        }
        if let owner = try context.scalar("SELECT id FROM tenants WHERE slug = ?", [slug])?.string {
            throw HandlerRejection(field: "slug", reason: "'\(slug)' is already the slug of tenant \(owner)")
        }
        let stream = try context.load(tenantId, tenant: context.streamTenant(default: tenantId))
        guard stream.isEmpty else {
            throw HandlerRejection(field: "tenantId", reason: "tenant \(tenantId) already exists")
        }
        try context.append(
            [NewEvent(type: DemoEvents.tenantCreated, payload: ["tenantId": .string(tenantId), "slug": .string(slug), "name": .string(name)])],
            to: stream, streamType: DemoStreams.tenant)
    }
}
