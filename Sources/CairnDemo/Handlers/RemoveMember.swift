import CairnStore

/// `tenant:write:remove-member` {userId, tenantId}: ends a user's membership of a tenant.
public struct RemoveMember: CommandHandler {
    public let name = QualifiedName(validated: "tenant:write:remove-member")
    public let access = DemoStreams.access

    public init() {}

    public func handle(_ payload: Payload, in context: HandlerContext) throws {
        let userId = try payload.string("userId")
        let tenantId = try payload.string("tenantId")
        guard let membershipId = try DemoLookups.membershipId(user: userId, tenant: tenantId, in: context) else {
            throw HandlerRejection(reason: "user \(userId) is not a member of tenant \(tenantId)")
        }
        let stream = try context.load(membershipId, tenant: context.streamTenant(default: tenantId))
        try context.append(
            [NewEvent(type: DemoEvents.membershipRemoved, payload: [
                "membershipId": .string(membershipId), "userId": .string(userId), "tenantId": .string(tenantId),
            ])],
            to: stream, streamType: DemoStreams.membership)
    }
}
