import CairnRunner
import CairnStore
import Foundation

/// Where the trials' stores live: SQLite files in a temporary folder (`Workload`), or
/// databases of a PostgreSQL server (`PostgresWorkload`). Each trial gets a fresh copy of
/// the base store, named by the string `cairn --db` takes.
protocol TrialStore {
    /// The temporary folder for the seeds, the children's logs and the writer's reports.
    var folder: URL { get }
    /// The seeds folder the trials' runs use.
    var seeds: String { get }
    /// What the migrations must change, read from the base store.
    func expectation() throws -> Workload.Expectation
    /// A fresh copy of the base store for one trial: a path or a URL.
    func copy(named name: String) throws -> String
    /// Removes a trial's copy.
    func remove(_ database: String)
    /// Problems with a store mid-way, after a crash and before the rerun.
    func midway(_ database: String, expected: Workload.Expectation) throws -> [String]
    /// Problems with a store after every migration completed.
    func final(_ database: String, expected: Workload.Expectation, extraEvents: Int) throws -> [String]
    /// Removes everything the trials made.
    func finish()
}

extension TrialStore {
    /// How many runs of `database` ended interrupted (taken over after a kill).
    func countInterrupted(_ database: String) throws -> Int {
        let store = try StoreOpener.open(database, domain: .empty, mode: .readOnly)
        defer { store.close() }
        return try RunHistory(store: store).runs(limit: 100).filter { $0.status == .interrupted }.count
    }

    /// The migrate runs of `database` and the migrations they applied in all.
    func countRuns(_ database: String) throws -> (runs: Int, applied: Int) {
        let store = try StoreOpener.open(database, domain: .empty, mode: .readOnly)
        defer { store.close() }
        let migrateRuns = try store.readLedger { try $0.runs(limit: Int.max) }.filter { $0.kind == .migrate }
        return (migrateRuns.count, migrateRuns.reduce(0) { $0 + $1.migrationsApplied })
    }

    /// Every event the application was told it appended is in the store, as its own.
    func checkWrites(_ database: String, positions: [Int64]) throws -> [String] {
        guard let first = positions.min() else { return [] }
        let store = try StoreOpener.open(database, domain: .empty, mode: .readOnly)
        defer { store.close() }
        let rows = try store.query { model in
            try model.fetchAll("SELECT position, CAST(metadata AS TEXT) FROM events WHERE position >= ?", [first])
        }
        var theirs = Set<Int64>()
        for row in rows {
            guard let position = row[0].int, let text = row[1].string,
                  (try? JSONValue(parsing: text))?.objectValue?["actorId"]?.stringValue == "app-writer" else { continue }
            theirs.insert(position)
        }
        let found = positions.filter { theirs.contains($0) }.count
        return found == positions.count ? [] : ["the application appended \(positions.count) events but \(found) are in the store"]
    }
}

extension Workload: TrialStore {
    func midway(_ database: String, expected: Workload.Expectation) throws -> [String] {
        try StoreChecks.midway(database, workload: expected, seeds: seeds)
    }

    func final(_ database: String, expected: Workload.Expectation, extraEvents: Int) throws -> [String] {
        try StoreChecks.final(database, expected: expected, extraEvents: extraEvents)
    }

    func finish() {
        try? FileManager.default.removeItem(at: folder)
    }
}
