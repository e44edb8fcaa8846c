import CairnStore
import GRDB

/// Read-model lookups the demo handlers share.
enum DemoLookups {
    /// The id of the membership of `user` in `tenant`, if there is one.
    static func membershipId(user: String, tenant: String, in db: Database) throws -> String? {
        try String.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM memberships WHERE user_id = ? AND tenant_id = ?"),
            arguments: [user, tenant])
    }

    /// Throws a rejection naming the `userId` field when the user does not exist.
    static func requireUser(_ userId: String, in db: Database) throws {
        guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM users WHERE id = ?"), arguments: [userId]) != nil else {
            throw HandlerRejection(field: "userId", reason: "names no registered user ('\(userId)')")
        }
    }

    /// Throws a rejection naming `field` when the tenant does not exist.
    static func requireTenant(_ tenantId: String, field: String, in db: Database) throws {
        guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM tenants WHERE id = ?"), arguments: [tenantId]) != nil else {
            throw HandlerRejection(field: field, reason: "names no tenant ('\(tenantId)')")
        }
    }
}
