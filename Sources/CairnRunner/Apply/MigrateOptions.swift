import CairnStore

import Foundation

/// How `migrate` runs: which migrations, how strictly, how patiently.
public struct MigrateOptions: Sendable {
    /// Apply pending migrations up to and including this id.
    public var target: String?
    /// Apply only the next pending migration.
    public var step = false
    /// Run even though applied files drifted or went missing (recorded in the run).
    public var allowDrift = false
    /// Refuse pending migrations that sort before the newest applied one.
    public var strict = false
    /// What started the run.
    public var trigger: RunTrigger = .cli
    /// How long to wait for another runner's lock, in seconds.
    public var lockTimeout: TimeInterval = 60
    /// A lock whose heartbeat is older than this many seconds is stale.
    public var staleAfter: TimeInterval = 120
    /// How often the lock's heartbeat is refreshed, in seconds.
    public var heartbeatInterval: TimeInterval = 5
    /// The longest a candidate query may run, in seconds.
    public var queryTimeout: TimeInterval = 60
    /// A pause between batches, to spare a busy production database.
    public var throttle: TimeInterval = 0
    /// How many events, row changes and rejections a dry-run keeps per migration to show;
    /// the rest are counted. Bounds a preview's memory whatever the migration's size.
    public var previewLimit = 1_000
    /// Raised to stop the run cleanly at the next batch boundary.
    public var cancellation: CancellationFlag?
    /// Told, about ten times a second, who holds the lock this run waits for and how many
    /// seconds it has waited (of `lockTimeout`): the console shows the wait as it goes.
    public var lockWait: (@Sendable (LockInfo, TimeInterval) -> Void)?

    /// The defaults.
    public init() {}

    /// The options as recorded with the run.
    var recorded: [String: String] {
        var options: [String: String] = [:]
        if let target { options["to"] = target }
        if step { options["step"] = "true" }
        if allowDrift { options["allowDrift"] = "true" }
        if strict { options["strict"] = "true" }
        if throttle > 0 { options["throttle"] = "\(Int(throttle * 1000)) ms" }
        return options
    }
}

/// What a migrate call did.
public struct MigrateOutcome: Sendable {
    /// The run, or nil when there was nothing to do and no run was recorded.
    public let runId: Int64?
    /// The migrations applied, in order.
    public let applied: [AppliedMigration]
    /// The migrations skipped, with why.
    public let skipped: [(id: String, skip: SkipInfo)]
    /// How many migrations were pending when the run started (after --to / --step).
    public let pending: Int
}

/// One migration a run applied.
public struct AppliedMigration: Sendable, Hashable {
    public let id: String
    public let description: String
    public let durationMilliseconds: Int
    /// The events this run wrote.
    public let events: Int
    /// The events of every run that worked on it since it was last reverted: more than
    /// `events` when this run resumed one that stopped.
    public let totalEvents: Int
    public let rows: Int
}

/// Progress of a migration, reported after each committed batch.
public struct MigrationProgress: Sendable {
    public let migrationId: String
    public let block: Int
    public let blocks: Int
    /// Candidate rows done in this block.
    public let rows: Int
    /// Candidate rows the block had when it started.
    public let totalRows: Int
    public let events: Int
}
