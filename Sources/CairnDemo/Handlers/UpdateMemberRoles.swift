import CairnStore

/// `tenant:write:update-member-roles` {userId, tenantId, roles, expectedVersion?}: replaces a member's roles.
///
/// It finds the membership in the read model and appends
/// `tenant-membership.updated` to the membership's stream in the stream tenant.
/// When that stream lives in another tenant, the append fails with a version
/// conflict that names the owning tenant.
public struct UpdateMemberRoles: CommandHandler {
    public let name = QualifiedName(validated: "tenant:write:update-member-roles")
    public let access = DemoStreams.access

    public init() {}

    public func handle(_ payload: Payload, in context: HandlerContext) throws {
        let userId = try payload.string("userId")
        let tenantId = try payload.string("tenantId")
        let roles = try DemoRoles.validate(payload)
        guard let membershipId = try DemoLookups.membershipId(user: userId, tenant: tenantId, in: context) else {
            throw HandlerRejection(reason: "user \(userId) is not a member of tenant \(tenantId)")
        }
        let stream = try context.load(membershipId, tenant: context.streamTenant(default: tenantId))
        // A client may say which version it saw (optimistic concurrency across requests):
        // when the stream has moved on since, the append fails with a version conflict.
        if let seen = payload["expectedVersion"] {
            guard case .int(let version) = seen else {
                throw HandlerRejection(field: "expectedVersion", reason: "should be an integer, got \(seen.kindDescription)")
            }
            guard Int(version) == stream.version else {
                throw VersionConflict(
                    streamId: membershipId, streamType: DemoStreams.membership, tenant: stream.tenant,
                    expectedVersion: Int(version), actualVersion: stream.version, owningTenant: nil)
            }
        }
        try context.append(
            [NewEvent(type: DemoEvents.membershipUpdated, payload: [
                "membershipId": .string(membershipId), "userId": .string(userId), "tenantId": .string(tenantId),
                "roles": .array(roles.map(JSONValue.string)),
            ])],
            to: stream, streamType: DemoStreams.membership)
    }
}
