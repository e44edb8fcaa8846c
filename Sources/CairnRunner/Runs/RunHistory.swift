import CairnStore

/// Reads runs and their logs.
public struct RunHistory: Sendable {
    let store: any RunnerStore

    /// A reader over `store`'s runs.
    public init(store: any RunnerStore) {
        self.store = store
    }

    /// The newest runs first, at most `limit`.
    public func runs(limit: Int = 50) throws -> [RunRecord] {
        try store.readLedger { try $0.runs(limit: limit) }
    }

    /// The run with `id`, if it exists.
    public func run(_ id: Int64) throws -> RunRecord? {
        try store.readLedger { try $0.run(id) }
    }

    /// The newest run, if any.
    public func latestRun() throws -> RunRecord? {
        try runs(limit: 1).first
    }

    /// The run's log lines after line `after` (0 for all), oldest first, at most `limit`.
    public func lines(run: Int64, after: Int64 = 0, limit: Int = 10_000) throws -> [LogLine] {
        try store.readLedger { try $0.logLines(run: run, after: after, limit: limit) }
    }

    /// What a run did to each migration it worked on: applied, reverted, failed, canceled,
    /// interrupted or skipped, with the events each attempt wrote; in the order it met them.
    public func migrations(run: Int64) throws -> [(id: String, status: String, events: Int)] {
        try store.readLedger { ledger in
            let attempts = try ledger.attempts(run: run).map { ($0.migrationId, $0.status.rawValue, $0.eventsWritten) }
            let skipped = try ledger.skippedMigrations(run: run).map { ($0, "skipped", 0) }
            return (attempts + skipped).sorted { $0.0 < $1.0 }
        }
    }
}
