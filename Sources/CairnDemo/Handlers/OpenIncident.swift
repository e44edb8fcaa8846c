import CairnStore

/// `incident:write:open` {incidentId, tenantId, title, severity}: opens an incident in a tenant.
public struct OpenIncident: CommandHandler {
    public let name = QualifiedName(validated: "incident:write:open")
    public let access = DemoStreams.access

    public init() {}

    public func handle(_ payload: Payload, in context: HandlerContext) throws {
        let incidentId = try payload.string("incidentId")
        let tenantId = try payload.string("tenantId")
        let title = try payload.string("title")
        let severity = try payload.string("severity")
        guard DemoStreams.severities.contains(severity) else {
            throw HandlerRejection(
                field: "severity",
                reason: "must be one of \(DemoStreams.severities.sorted().joined(separator: ", ")), got '\(severity)'")
        }
        try DemoLookups.requireTenant(tenantId, field: "tenantId", in: context)
        let stream = try context.load(incidentId, tenant: context.streamTenant(default: tenantId))
        guard stream.isEmpty else {
            throw HandlerRejection(field: "incidentId", reason: "incident \(incidentId) already exists")
        }
        try context.append(
            [NewEvent(type: DemoEvents.incidentOpened, payload: [
                "incidentId": .string(incidentId), "tenantId": .string(tenantId), "title": .string(title),
                "severity": .string(severity),
            ])],
            to: stream, streamType: DemoStreams.incident)
    }
}
