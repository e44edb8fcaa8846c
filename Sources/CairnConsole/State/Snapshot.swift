import CairnRunner
import CairnStore
import Foundation

/// What the console shows of an environment, read in one go off the UI thread.
///
/// Plain values, so screens can be rendered (and tested) without a database.
public struct Snapshot: Sendable, Equatable {
    /// One migration as the console lists it.
    public struct Migration: Sendable, Equatable {
        public var id: String
        public var state: MigrationState
        /// Which way an unfinished run left it, when `partial`: "up" or "down".
        public var partialDirection: String?
        /// True when a run would work on it: pending, failed, or partly applied.
        public var runnable: Bool { state == .pending || state == .failed || (state == .partial && partialDirection == "up") }
        public var description: String
        public var checksum: String
        public var skippable: Bool
        public var outOfOrder = false
        public var kind = "seed"
        public var path: String?
        public var appliedAt: String?
        public var appliedBy: String?
        public var appliedRun: Int64?
        public var eventsWritten: Int?
        public var durationMilliseconds: Int?
        public var skipSource: String?
        public var skipReason: String?
        public var skipBy: String?
        public var skipUntil: String?
        public var lastRun: Int64?
        public var lastStatus: String?
        public var lastError: String?
        /// Handler names with whether each is registered and accepts `system`.
        public var handlers: [(name: String, ok: Bool)] = []
        public var revertible = false
        public var batch: Int?
        public var atomic = false
        public var rebuilds: [String] = []
        public var problems: [String] = []
        /// True when a baseline marked it applied without running it.
        public var baseline = false
        /// How a recovery verb (repair, retire, baseline) ended its block, in words.
        public var recovery: String?

        public init(id: String, state: MigrationState, description: String, checksum: String, skippable: Bool) {
            self.id = id
            self.state = state
            self.description = description
            self.checksum = checksum
            self.skippable = skippable
        }

        public static func == (lhs: Migration, rhs: Migration) -> Bool {
            lhs.id == rhs.id && lhs.state == rhs.state && lhs.description == rhs.description && lhs.checksum == rhs.checksum
                && lhs.skipReason == rhs.skipReason && lhs.lastError == rhs.lastError && lhs.appliedAt == rhs.appliedAt
                && lhs.handlers.map(\.name) == rhs.handlers.map(\.name) && lhs.handlers.map(\.ok) == rhs.handlers.map(\.ok)
                && lhs.outOfOrder == rhs.outOfOrder && lhs.problems == rhs.problems && lhs.recovery == rhs.recovery
        }
    }

    /// One run as the console lists it.
    public struct Run: Sendable, Equatable {
        public var id: Int64
        public var kind: String
        public var trigger: String
        public var status: String
        public var startedAt: String
        public var finishedAt: String?
        public var host: String
        public var pid: Int32
        public var error: String?
        public var migrationsApplied: Int
        public var eventsWritten: Int

        public init(id: Int64, kind: String, trigger: String, status: String, startedAt: String, host: String, pid: Int32) {
            self.id = id
            self.kind = kind
            self.trigger = trigger
            self.status = status
            self.startedAt = startedAt
            self.host = host
            self.pid = pid
            self.migrationsApplied = 0
            self.eventsWritten = 0
        }

        /// True for runs that ended badly: failed or interrupted. A preview that found
        /// rejections is not a failure: nothing ran.
        public var isFailure: Bool { (status == "failed" && kind != "dry-run") || status == "interrupted" }

        /// True for previews (dry-runs), which write nothing.
        public var isPreview: Bool { kind == "dry-run" }

        /// The status as the console shows it: a dry-run that found problems "not clean", not "failed".
        public var shownStatus: String { isPreview && status == "failed" ? "not clean" : status }
    }

    /// The kinds of runs that write: the runs view's `t` shows these without the previews.
    public static let writingRunKinds = ["migrate", "rebuild", "revert", "unlock", "repair", "baseline"]

    /// What a run did to one migration: applied, reverted, failed, canceled, interrupted or skipped.
    public struct RunMigration: Sendable, Equatable {
        public var id: String
        public var status: String
        public var events: Int

        public init(id: String, status: String, events: Int) {
            self.id = id
            self.status = status
            self.events = events
        }
    }

    /// One projection's state.
    public struct Projection: Sendable, Equatable {
        public var name: String
        public var codeVersion: Int
        public var storedVersion: Int?
        public var checkpoint: Int64
        public var head: Int64
        public var staleReason: String?
        public var rebuiltAt: String?
    }

    /// The lock holder.
    public struct Lock: Sendable, Equatable {
        public var holder: String
        public var host: String
        public var pid: Int32
        public var runId: Int64?
        public var heartbeatAt: String
        public var staleReason: String?
        /// Seconds since the holder's last heartbeat, when the snapshot was read.
        public var heartbeatAge: Int?
        /// True when this console's own job holds it.
        public var ours = false

        public init(holder: String, host: String, pid: Int32, runId: Int64?, heartbeatAt: String, staleReason: String?,
                    heartbeatAge: Int? = nil, ours: Bool = false) {
            self.holder = holder
            self.host = host
            self.pid = pid
            self.runId = runId
            self.heartbeatAt = heartbeatAt
            self.staleReason = staleReason
            self.heartbeatAge = heartbeatAge
            self.ours = ours
        }
    }

    public var environment: String
    public var database: String
    public var seeds: String
    public var migrations: [Migration]
    public var runs: [Run]
    public var projections: [Projection]
    public var lock: Lock?
    public var problems: [String]
    public var blocked: Bool

    /// An empty snapshot of an environment.
    public init(environment: String, database: String, seeds: String) {
        self.environment = environment
        self.database = database
        self.seeds = seeds
        migrations = []
        runs = []
        projections = []
        problems = []
        blocked = false
    }

    /// How many migrations are in `state`.
    public func count(_ state: MigrationState) -> Int {
        migrations.filter { $0.state == state }.count
    }

    /// The next migration a run would apply.
    public var nextPending: Migration? {
        migrations.first { $0.runnable }
    }

    /// Reads a snapshot through `runner`.
    public static func load(_ runner: MigrationRunner, runLimit: Int = 200) throws -> Snapshot {
        let report: StatusReport
        do {
            report = try runner.status()
        } catch let error as any ExplainedError {
            // Without a status (no seeds folder, a seed that cannot be read) the store's runs,
            // logs, projections and lock can still be browsed: the problem is shown, and every
            // run is blocked.
            var snapshot = Snapshot(environment: runner.environmentName, database: runner.store.location, seeds: runner.seedsDirectory)
            snapshot.problems = [error.summary + (error.remedy.map { "\n\($0)" } ?? "")]
            snapshot.blocked = true
            snapshot.runs = try runner.history.runs(limit: runLimit).map(Snapshot.run)
            snapshot.projections = try runner.store.projectionStates().map(Snapshot.projection)
            snapshot.lock = try runner.store.readLedger { try $0.lock() }.map { Snapshot.lock($0, runner: runner) }
            return snapshot
        }
        let registry = runner.application.domain.handlers
        var snapshot = Snapshot(environment: report.environment, database: report.database, seeds: report.seeds)
        snapshot.migrations = report.migrations.map { status in
            var item = Migration(
                id: status.id, state: status.state, description: status.description, checksum: status.checksum,
                skippable: status.skippable)
            item.outOfOrder = status.outOfOrder
            item.kind = status.migration?.kind ?? "seed"
            item.path = status.migration?.path
            if let marker = status.marker {
                item.appliedAt = marker.appliedAt
                item.appliedBy = "\(marker.trigger) · \(marker.user.map { "\($0)@" } ?? "")\(marker.host):\(marker.pid)"
                item.appliedRun = marker.runId
                item.eventsWritten = marker.eventsWritten
                item.durationMilliseconds = marker.durationMilliseconds
                item.baseline = marker.baseline
            }
            item.recovery = status.recoveryNote
            if let skip = status.skip {
                item.skipSource = skip.source.rawValue
                item.skipReason = skip.reason
                item.skipBy = skip.by
                item.skipUntil = skip.until
            }
            if let attempt = status.lastAttempt {
                item.lastRun = attempt.runId
                item.lastStatus = attempt.status.rawValue
                item.lastError = attempt.error
            }
            if let migration = status.migration {
                item.handlers = migration.handlers.map { name in
                    (name.description, registry.handler(named: name)?.access.allows(.system) == true)
                }
                item.revertible = migration.isRevertible
                item.rebuilds = migration.rebuilds
                if case .seed(let seed) = migration.source {
                    item.batch = seed.header.batch
                    item.atomic = seed.header.atomic
                }
            }
            item.partialDirection = status.partial?.direction.rawValue
            item.problems = (status.partial.map { [$0.summary] } ?? []) + status.problems
            return item
        }
        snapshot.runs = try runner.history.runs(limit: runLimit).map(Snapshot.run)
        snapshot.projections = try runner.store.projectionStates().map(Snapshot.projection)
        snapshot.lock = report.lock.map { Snapshot.lock($0, runner: runner) }
        snapshot.problems = report.problems
        snapshot.blocked = report.blocked
        return snapshot
    }

    /// A projection's state as the console shows it.
    static func projection(_ state: ProjectionState) -> Projection {
        Projection(
            name: state.name, codeVersion: state.codeVersion, storedVersion: state.storedVersion,
            checkpoint: state.checkpoint, head: state.head, staleReason: state.staleReason, rebuiltAt: state.rebuiltAt)
    }

    /// The lock as the console shows it: stale or not, its heartbeat's age, and whether it is this process's.
    static func lock(_ lock: LockInfo, runner: MigrationRunner) -> Lock {
        Lock(
            holder: lock.holder, host: lock.host, pid: lock.pid, runId: lock.runId, heartbeatAt: lock.heartbeatAt,
            staleReason: lock.staleReason(staleAfter: MigrateOptions().staleAfter),
            heartbeatAge: Timestamp.date(from: lock.heartbeatAt).map { max(0, Int(Date().timeIntervalSince($0))) },
            ours: lock.pid == runner.identity.pid && lock.host == runner.identity.host)
    }

    /// A run record as the console shows it.
    public static func run(_ record: RunRecord) -> Run {
        var run = Run(
            id: record.id, kind: record.kind.rawValue, trigger: record.trigger.rawValue, status: record.status.rawValue,
            startedAt: record.startedAt, host: record.host, pid: record.pid)
        run.finishedAt = record.finishedAt
        run.error = record.error
        run.migrationsApplied = record.migrationsApplied
        run.eventsWritten = record.eventsWritten
        return run
    }
}
