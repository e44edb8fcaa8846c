import GRDB

/// The record that a migration was applied in this environment.
///
/// Besides how it was applied, a marker keeps how it was ended on purpose since: a
/// `baseline` marker says the data already reflected the migration when Cairn was
/// adopted (nothing ran); a repair keeps the checksum it replaced and who approved the
/// file's new one, when and why; a retired marker belongs to a file deleted on purpose.
public struct Marker: Sendable, Hashable, Codable, FetchableRecord {
    public let migrationId: String
    /// The checksum of the file as applied (or as last approved by a repair).
    public private(set) var checksum: String
    /// How the file's text was normalised before `checksum` was taken (`Checksum.currentVersion` when written):
    /// a later change of the normalisation compares this marker the way it was written.
    public private(set) var checksumVersion: Int
    public private(set) var description: String
    public let appliedAt: String
    public let durationMilliseconds: Int
    public let trigger: RunTrigger
    public let host: String
    public let pid: Int32
    public let user: String?
    /// The run that applied it (or, for a baseline, the baseline run).
    public let runId: Int64
    public let eventsWritten: Int
    /// True when it was applied with `--allow-drift`.
    public let allowDrift: Bool
    /// True when `cairn baseline` marked it applied without running it.
    public let baseline: Bool
    /// Why the environment was baselined, for a baseline marker.
    public let baselineReason: String?
    /// True when its file was deleted on purpose and `cairn repair` retired it.
    public private(set) var retired: Bool
    /// The checksum a repair replaced, and its normalisation version.
    public private(set) var previousChecksum: String?
    public private(set) var previousChecksumVersion: Int?
    /// When, by whom (user and host) and why it was last repaired or retired, and in which run.
    public private(set) var repairedAt: String?
    public private(set) var repairedUser: String?
    public private(set) var repairedHost: String?
    public private(set) var repairReason: String?
    public private(set) var repairRunId: Int64?

    enum CodingKeys: String, CodingKey {
        case checksum, description, trigger, host, pid, user, baseline, retired
        case migrationId = "migration_id", checksumVersion = "checksum_version", appliedAt = "applied_at"
        case durationMilliseconds = "duration_ms", runId = "run_id", eventsWritten = "events_written"
        case allowDrift = "allow_drift", baselineReason = "baseline_reason", previousChecksum = "previous_checksum"
        case previousChecksumVersion = "previous_checksum_version", repairedAt = "repaired_at"
        case repairedUser = "repaired_user", repairedHost = "repaired_host", repairReason = "repair_reason"
        case repairRunId = "repair_run_id"
    }

    /// A marker to write.
    public init(
        migrationId: String, checksum: String, checksumVersion: Int, description: String, appliedAt: String,
        durationMilliseconds: Int, trigger: RunTrigger, identity: ProcessIdentity, runId: Int64, eventsWritten: Int,
        allowDrift: Bool, baselineReason: String? = nil
    ) {
        self.migrationId = migrationId
        self.checksum = checksum
        self.checksumVersion = checksumVersion
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
        baseline = baselineReason != nil
        self.baselineReason = baselineReason
        retired = false
        previousChecksum = nil
        previousChecksumVersion = nil
        repairedAt = nil
        repairedUser = nil
        repairedHost = nil
        repairReason = nil
        repairRunId = nil
    }

    /// True when a repair or a retirement changed it after it was applied.
    public var isRepaired: Bool { repairedAt != nil }

    /// Who repaired or retired it, as "user@host" (or the host alone).
    public var repairedBy: String? {
        guard let repairedHost else { return nil }
        return repairedUser.map { "\($0)@\(repairedHost)" } ?? repairedHost
    }

    /// The marker after `cairn repair` approved the file's current checksum, keeping the one it replaced.
    public func repaired(
        checksum newChecksum: String, version: Int, description newDescription: String, at: String,
        by identity: ProcessIdentity, reason: String, run: Int64
    ) -> Marker {
        var marker = self
        marker.previousChecksum = checksum
        marker.previousChecksumVersion = checksumVersion
        marker.checksum = newChecksum
        marker.checksumVersion = version
        marker.description = newDescription
        // Its file is back and approved: should it go again, that is a new decision.
        marker.retired = false
        marker.stamp(at: at, by: identity, reason: reason, run: run)
        return marker
    }

    /// The marker after `cairn repair` retired its deleted file: never a blocker again, its history kept.
    public func retiring(at: String, by identity: ProcessIdentity, reason: String, run: Int64) -> Marker {
        var marker = self
        marker.retired = true
        marker.stamp(at: at, by: identity, reason: reason, run: run)
        return marker
    }

    private mutating func stamp(at: String, by identity: ProcessIdentity, reason: String, run: Int64) {
        repairedAt = at
        repairedUser = identity.user
        repairedHost = identity.host
        repairReason = reason
        repairRunId = run
    }
}
