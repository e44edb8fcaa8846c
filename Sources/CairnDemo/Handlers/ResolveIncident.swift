import CairnStore

/// `incident:write:resolve` {incidentId, tenantId}: resolves an open incident.
public struct ResolveIncident: CommandHandler {
    public let name = QualifiedName(validated: "incident:write:resolve")
    public let access = DemoStreams.access

    public init() {}

    public func handle(_ payload: Payload, in context: HandlerContext) throws {
        let incidentId = try payload.string("incidentId")
        let tenantId = try payload.string("tenantId")
        let stream = try context.load(incidentId, tenant: context.streamTenant(default: tenantId))
        guard !stream.isEmpty else {
            throw HandlerRejection(field: "incidentId", reason: "incident \(incidentId) does not exist in tenant \(tenantId)")
        }
        if stream.events.contains(where: { $0.type == DemoEvents.incidentResolved }) {
            throw HandlerRejection(field: "incidentId", reason: "incident \(incidentId) is already resolved")
        }
        try context.append(
            [NewEvent(type: DemoEvents.incidentResolved, payload: [
                "incidentId": .string(incidentId), "tenantId": .string(tenantId),
            ])],
            to: stream, streamType: DemoStreams.incident)
    }
}
