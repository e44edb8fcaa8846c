import CairnStore
import Foundation
import GRDB

/// A persisted decision to skip a skippable migration in this environment.
public struct Override: Sendable, Hashable {
    public let migrationId: String
    /// Why it is skipped.
    public let reason: String
    /// Who skipped it ("user@host").
    public let createdBy: String
    public let createdAt: String
    /// When the skip ends, if it does.
    public let expiresAt: String?

    init(row: Row) {
        migrationId = row["migration_id"]
        reason = row["reason"]
        createdBy = row["created_by"]
        createdAt = row["created_at"]
        expiresAt = row["expires_at"]
    }

    /// True while the override has not expired.
    public func isActive(at now: Date = Date()) -> Bool {
        guard let expiresAt, let end = Timestamp.date(from: expiresAt) else { return true }
        return now < end
    }

    static func fetchAll(_ db: Database) throws -> [Override] {
        try Row.fetchAll(db, sql: "SELECT * FROM cairn_overrides ORDER BY migration_id").map(Override.init(row:))
    }
}

/// Why a migration is skipped.
public struct SkipInfo: Sendable, Hashable {
    /// How it was skipped.
    public enum Source: String, Sendable {
        /// The `CAIRN_SKIP_<ID>=1` environment variable.
        case env
        /// A persisted override (`cairn skip`).
        case override
    }

    public let source: Source
    /// The override's reason, or the variable's name for an environment skip.
    public let reason: String?
    /// Who skipped it, for an override.
    public let by: String?
    public let at: String?
    public let until: String?
}
