import CairnStore

/// Read-model lookups the demo handlers share, in SQL every store accepts.
enum DemoLookups {
    /// The id of the membership of `user` in `tenant`, if there is one.
    static func membershipId(user: String, tenant: String, in readModel: some ReadModel) throws -> String? {
        try readModel.scalar("SELECT id FROM memberships WHERE user_id = ? AND tenant_id = ?", [user, tenant])?.string
    }

    /// Throws a rejection naming the `userId` field when the user does not exist.
    static func requireUser(_ userId: String, in readModel: some ReadModel) throws {
        guard try readModel.exists("SELECT 1 FROM users WHERE id = ?", [userId]) else {
            throw HandlerRejection(field: "userId", reason: "names no registered user ('\(userId)')")
        }
    }

    /// Throws a rejection naming `field` when the tenant does not exist.
    static func requireTenant(_ tenantId: String, field: String, in readModel: some ReadModel) throws {
        guard try readModel.exists("SELECT 1 FROM tenants WHERE id = ?", [tenantId]) else {
            throw HandlerRejection(field: field, reason: "names no tenant ('\(tenantId)')")
        }
    }
}
