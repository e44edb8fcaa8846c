import GRDB

/// One line of a run's log.
public struct LogLine: Sendable, Hashable, Codable, FetchableRecord {
    public let id: Int64
    public let runId: Int64
    public let at: String
    public let level: LogLevel
    public let migrationId: String?
    public let message: String

    enum CodingKeys: String, CodingKey {
        case id, at, level, message
        case runId = "run_id", migrationId = "migration_id"
    }
}
