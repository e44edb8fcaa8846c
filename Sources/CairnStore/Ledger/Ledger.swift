import Foundation

/// Reads Cairn's bookkeeping — runs and their logs, markers, attempts, overrides,
/// the lock, projection state and owed rebuilds — inside a transaction the caller holds.
///
/// This is the ledger half of the store seam: the runner, the console and the
/// command line read the bookkeeping only through it, so a second store
/// (PostgreSQL) implements these two protocols and nothing else changes.
/// `SQLiteLedger` is the SQLite implementation and the only place that names
/// the `cairn_*` tables.
public protocol LedgerReading {
    /// Every marker, by migration id.
    func markers() throws -> [Marker]
    /// Every skip override, by migration id.
    func overrides() throws -> [Override]
    /// The newest attempt of every migration that has one.
    func latestAttempts() throws -> [String: Attempt]
    /// The attempts of one run, in the order they started.
    func attempts(run: Int64) throws -> [Attempt]
    /// The migrations a run skipped, in the order it skipped them.
    func skippedMigrations(run: Int64) throws -> [String]
    /// The events a migration's apply wrote over all its runs since it was last reverted:
    /// a run that resumed after a crash adds to those of the runs before it.
    func eventsWritten(applying migration: String) throws -> Int
    /// The current lock holder, if any.
    func lock() throws -> LockInfo?
    /// The newest runs first, at most `limit`.
    func runs(limit: Int) throws -> [RunRecord]
    /// The run with `id`, if it exists.
    func run(_ id: Int64) throws -> RunRecord?
    /// Runs that say they are still running, oldest first.
    func runningRuns() throws -> [RunRecord]
    /// A run's log lines after line `after`, oldest first, at most `limit`.
    func logLines(run: Int64, after: Int64, limit: Int) throws -> [LogLine]
    /// What the ledger knows of each projection, by name.
    func projectionRecords() throws -> [ProjectionRecord]
    /// Rebuilds declared by applied migrations that have not finished since.
    func owedRebuilds() throws -> [OwedRebuild]
    /// The rebuild run whose shadow tables carry `suffix`, if one recorded it.
    func rebuildRun(shadowSuffix suffix: String) throws -> RunRecord?
}

/// Writes Cairn's bookkeeping inside a write transaction the caller holds, so
/// bookkeeping commits or rolls back with the events and read-model rows beside it.
public protocol LedgerWriting: LedgerReading {
    /// Records a new `running` run and returns its id.
    func insertRun(kind: RunKind, trigger: RunTrigger, options: String, identity: ProcessIdentity) throws -> Int64
    /// Ends a run that is still running; returns false when it had already ended.
    @discardableResult
    func finishRun(_ id: Int64, status: RunStatus, error: String?) throws -> Bool
    /// Adds a line to a run's log.
    func appendLogLine(run: Int64, level: LogLevel, message: String, migration: String?) throws
    /// Adds a batch's events (and, when a migration finished, one migration) to a run's counters.
    func addToRun(_ id: Int64, events: Int, migrations: Int) throws

    /// Starts (or restarts) a run's attempt at a migration.
    func startAttempt(run: Int64, migration: String) throws
    /// Adds a committed batch's rows and events to an attempt.
    func addProgress(run: Int64, migration: String, rows: Int, events: Int) throws
    /// Ends an attempt that is still running.
    func finishAttempt(run: Int64, migration: String, status: AttemptStatus, error: String?) throws
    /// Ends every running attempt of a run.
    func finishRunningAttempts(run: Int64, status: AttemptStatus, error: String?) throws

    /// Writes a marker.
    func insertMarker(_ marker: Marker) throws
    /// Replaces the marker of the same migration (a repair or a retirement); false when it has none.
    @discardableResult
    func updateMarker(_ marker: Marker) throws -> Bool
    /// Removes a marker (a revert).
    func deleteMarker(_ migrationId: String) throws

    /// Writes or replaces a skip override.
    func putOverride(_ override: Override) throws
    /// Removes a skip override and returns it, if there was one.
    func deleteOverride(_ migrationId: String) throws -> Override?

    /// Takes the free lock for `holder` with `token`, refreshed every `heartbeat` seconds.
    func insertLock(token: String, holder: String, identity: ProcessIdentity, run: Int64?, heartbeat: TimeInterval) throws
    /// Removes the lock, whoever holds it.
    func clearLock() throws
    /// Removes the lock if `token` holds it.
    func releaseLock(token: String) throws
    /// Records the run holding the lock of `token`.
    func attachLock(token: String, run: Int64) throws
    /// Refreshes the heartbeat of the lock of `token`; false when `token` no longer holds it.
    func refreshLock(token: String) throws -> Bool

    /// Registers a projection seen for the first time at checkpoint 0; leaves a known one as it is.
    func registerProjection(name: String, version: Int) throws
    /// Moves every projection at checkpoint `from` to `to` (the inline projections after an append).
    func advanceCheckpoints(from: Int64, to: Int64) throws
    /// Records a finished rebuild of a projection: its version, checkpoint and time.
    func recordRebuild(name: String, version: Int, checkpoint: Int64) throws
    /// Records that applying `migration` in `run` owes a rebuild of `projections`.
    func oweRebuilds(_ projections: [String], migration: String, run: Int64) throws
    /// Settles the owed rebuilds of `projections`.
    func settleRebuilds(_ projections: [String]) throws
}

extension LedgerWriting {
    /// Marks a run that is still running, and its running attempts, as interrupted, with a line in its log.
    ///
    /// - Returns: false when the run had already ended.
    @discardableResult
    public func markInterrupted(run: Int64, reason: String) throws -> Bool {
        guard try finishRun(run, status: .interrupted, error: "interrupted: \(reason)") else { return false }
        try finishRunningAttempts(run: run, status: .interrupted, error: "interrupted: \(reason)")
        try appendLogLine(run: run, level: .error, message: "interrupted: \(reason)", migration: nil)
        return true
    }
}
