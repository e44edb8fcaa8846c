import GRDB

/// A projection rebuild that an applied migration declared and that has not finished since.
///
/// Written in the transaction of the migration's marker and settled in the swap
/// transaction of a rebuild of that projection, so a rebuild killed half-way
/// stays owed and the next `cairn up` runs it.
public struct OwedRebuild: Sendable, Hashable, Codable, FetchableRecord {
    /// The projection to rebuild.
    public let projection: String
    /// The migration that declared it.
    public let migrationId: String
    /// The run that applied the migration.
    public let runId: Int64
    /// When it became owed.
    public let owedAt: String

    enum CodingKeys: String, CodingKey {
        case projection
        case migrationId = "migration_id", runId = "run_id", owedAt = "owed_at"
    }
}
