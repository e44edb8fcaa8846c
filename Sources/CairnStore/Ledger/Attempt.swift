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
    /// The kind of the run it belongs to, when read with it (`LedgerReading.latestAttempts`).
    public let runKind: RunKind?
    /// The options that run recorded (JSON), when read with it.
    public let runOptions: String?

    /// True when it ended (or died) without finishing, yet committed batches: the migration
    /// is partly applied or partly reverted.
    public var leftCommittedWork: Bool {
        rowsDone > 0 && status != .applied && status != .reverted
    }

    enum CodingKeys: String, CodingKey {
        case status, batches, error
        case runKind = "run_kind", runOptions = "run_options"
        case runId = "run_id", migrationId = "migration_id", startedAt = "started_at", finishedAt = "finished_at"
        case rowsDone = "rows_done", eventsWritten = "events_written"
    }
}
