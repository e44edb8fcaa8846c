import GRDB

/// One attempt of a run at one migration.
public struct Attempt: Sendable, Hashable, Codable, FetchableRecord {
    public let runId: Int64
    public let migrationId: String
    public let status: AttemptStatus
    public let startedAt: String
    public let finishedAt: String?
    public let rowsDone: Int
    public let eventsWritten: Int
    public let batches: Int
    public let error: String?

    enum CodingKeys: String, CodingKey {
        case status, batches, error
        case runId = "run_id", migrationId = "migration_id", startedAt = "started_at", finishedAt = "finished_at"
        case rowsDone = "rows_done", eventsWritten = "events_written"
    }
}
