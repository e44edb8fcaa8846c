import GRDB

/// The record that a migration was applied in this environment.
public struct Marker: Sendable, Hashable, Codable, FetchableRecord {
    public let migrationId: String
    /// The checksum of the file as applied.
    public let checksum: String
    public let description: String
    public let appliedAt: String
    public let durationMilliseconds: Int
    public let trigger: RunTrigger
    public let host: String
    public let pid: Int32
    public let user: String?
    /// The run that applied it.
    public let runId: Int64
    public let eventsWritten: Int
    /// True when it was applied with `--allow-drift`.
    public let allowDrift: Bool

    enum CodingKeys: String, CodingKey {
        case checksum, description, trigger, host, pid, user
        case migrationId = "migration_id", appliedAt = "applied_at", durationMilliseconds = "duration_ms"
        case runId = "run_id", eventsWritten = "events_written", allowDrift = "allow_drift"
    }

    /// A marker to write.
    public init(
        migrationId: String, checksum: String, description: String, appliedAt: String, durationMilliseconds: Int,
        trigger: RunTrigger, identity: ProcessIdentity, runId: Int64, eventsWritten: Int, allowDrift: Bool
    ) {
        self.migrationId = migrationId
        self.checksum = checksum
        self.description = description
        self.appliedAt = appliedAt
        self.durationMilliseconds = durationMilliseconds
        self.trigger = trigger
        host = identity.host
        pid = identity.pid
        user = identity.user
        self.runId = runId
        self.eventsWritten = eventsWritten
        self.allowDrift = allowDrift
    }
}
