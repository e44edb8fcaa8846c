import CairnStore

/// `tenant:write:add-member` {membershipId, userId, tenantId, roles}: makes a user a member of a tenant.
///
/// The membership's stream lives in the stream tenant (the payload's tenant
/// unless the caller overrides it): the demo's "stream-tenant trap" is a
/// membership added with an override.
public struct AddMember: CommandHandler {
    public let name = QualifiedName(validated: "tenant:write:add-member")
    public let access = DemoStreams.access

    public init() {}

    public func handle(_ payload: Payload, in context: HandlerContext) throws {
        let membershipId = try payload.string("membershipId")
        let userId = try payload.string("userId")
        let tenantId = try payload.string("tenantId")
        let roles = try DemoRoles.validate(payload)
        try DemoLookups.requireUser(userId, in: context)
        try DemoLookups.requireTenant(tenantId, field: "tenantId", in: context)
        if let existing = try DemoLookups.membershipId(user: userId, tenant: tenantId, in: context) {
            throw HandlerRejection(reason: "user \(userId) is already a member of tenant \(tenantId) (membership \(existing))")
        }
        let stream = try context.load(membershipId, tenant: context.streamTenant(default: tenantId))
        guard stream.isEmpty else {
            throw HandlerRejection(field: "membershipId", reason: "membership \(membershipId) already exists")
        }
        try context.append(
            [NewEvent(type: DemoEvents.membershipAdded, payload: [
                "membershipId": .string(membershipId), "userId": .string(userId), "tenantId": .string(tenantId),
                "roles": .array(roles.map(JSONValue.string)),
            ])],
            to: stream, streamType: DemoStreams.membership)
    }
}
