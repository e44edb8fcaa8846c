import Foundation
import GRDB

/// A persisted decision to skip a skippable migration in this environment.
public struct Override: Sendable, Hashable, Codable, FetchableRecord {
    public let migrationId: String
    /// Why it is skipped.
    public let reason: String
    /// Who skipped it ("user@host").
    public let createdBy: String
    public let createdAt: String
    /// When the skip ends, if it does.
    public let expiresAt: String?

    enum CodingKeys: String, CodingKey {
        case reason
        case migrationId = "migration_id", createdBy = "created_by", createdAt = "created_at", expiresAt = "expires_at"
    }

    /// An override to write.
    public init(migrationId: String, reason: String, createdBy: String, createdAt: String, expiresAt: String?) {
        self.migrationId = migrationId
        self.reason = reason
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// True while the override has not expired.
    public func isActive(at now: Date = Date()) -> Bool {
        guard let expiresAt, let end = Timestamp.date(from: expiresAt) else { return true }
        return now < end
    }
}
