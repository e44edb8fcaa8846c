import CairnStore
import Foundation
import Logging

/// The runner core shared by the boot, the command line and the console:
/// status, validation, migrate, skip and unskip, runs and logs, unlock.
public final class MigrationRunner: Sendable {
    /// The application: handlers, projections, Swift migrations.
    public let application: CairnApplication
    /// The event store.
    public let store: any RunnerStore
    /// The seeds folder.
    public let seedsDirectory: String
    /// The environment's name, for reports.
    public let environmentName: String
    /// The process environment, read for `CAIRN_SKIP_<ID>` variables.
    public let processEnvironment: [String: String]
    /// Who runs, recorded on runs, markers and the lock.
    public let identity: ProcessIdentity

    /// Creates a runner over an open store.
    ///
    /// An application's tests make one to dry-run and apply their seeds against a fixture:
    /// `processEnvironment: [:]` keeps `CAIRN_SKIP_<ID>` variables of the test process's own
    /// environment from skipping migrations, and `identity` sets who the runs are recorded as.
    public init(
        application: CairnApplication, store: any RunnerStore, seedsDirectory: String, environmentName: String = "default",
        processEnvironment: [String: String] = ProcessInfo.processInfo.environment, identity: ProcessIdentity = .current
    ) {
        self.application = application
        self.store = store
        self.seedsDirectory = seedsDirectory
        self.environmentName = environmentName
        self.processEnvironment = processEnvironment
        self.identity = identity
    }

    /// Reads the seeds folder and the application's Swift migrations.
    public func catalog() throws -> MigrationCatalog {
        try MigrationCatalog.load(seeds: seedsDirectory, swiftMigrations: application.migrations)
    }

    /// Where every migration stands.
    public func status() throws -> StatusReport {
        try status(catalog: catalog())
    }

    func status(catalog: MigrationCatalog) throws -> StatusReport {
        try StatusReader.read(
            store: store, catalog: catalog, environment: processEnvironment, environmentName: environmentName)
    }

    /// Runs the validator over the migrations a run would apply (not applied, not skipped) and
    /// returns every problem, including bad file names and skip variables on non-skippable migrations.
    ///
    /// Besides compiling each candidate query, it reads its first rows (stopping after
    /// `queryTimeout` seconds) to catch a payload that is not a JSON object.
    public func validate(queryTimeout: TimeInterval = 60) throws -> [ValidationProblem] {
        let catalog = try catalog()
        let report = try status(catalog: catalog)
        return try validate(report.runnable.compactMap(\.migration), report: report, catalog: catalog,
                            queryTimeout: queryTimeout).problems
    }

    func validate(
        _ migrations: [Migration], report: StatusReport, catalog: MigrationCatalog,
        direction: MigrationApplier.Direction = .up, queryTimeout: TimeInterval = 60
    ) throws -> Validator.Outcome {
        let gate = try store.makeCandidateGate()
        var validator = Validator(domain: application.domain, gate: gate)
        validator.queryTimeout = queryTimeout
        var outcome = validator.validate(migrations, direction: direction)
        let runnable = Set(migrations.map(\.id))
        for status in report.migrations where runnable.contains(status.id) {
            if let note = status.ignoredSkipVariable {
                let badValue = note.contains("is not a skip value")
                outcome.problems.append(ValidationProblem(
                    migrationId: status.id, location: nil, message: note,
                    hint: badValue ? "1, true or yes skip; 0, false, no or an empty value do not"
                        : "remove the variable, or declare `-- skippable: true` in the seed"))
            }
        }
        outcome.problems = catalog.problems.map {
            ValidationProblem(migrationId: nil, location: $0.path, message: $0.message, hint: $0.hint)
        } + outcome.problems
        return outcome
    }

    /// The migrations a run would go through, in order: runnable and skipped ones, cut by `--to` and `--step`.
    func plan(_ report: StatusReport, options: MigrateOptions) throws -> [MigrationStatus] {
        var candidates = report.migrations.filter { $0.isRunnable || $0.state == .skipped }
        if let target = options.target {
            guard report.migrations.contains(where: { $0.id == target }) else {
                let suggestion = report.migrations.map(\.id).min { $0.editDistance(to: target) < $1.editDistance(to: target) }
                throw RunnerError.unknownMigration(id: target, suggestion: suggestion)
            }
            candidates = candidates.filter { $0.id <= target }
        }
        if options.step, let first = candidates.firstIndex(where: { $0.state != .skipped }) {
            candidates = Array(candidates[...first])
        }
        if !candidates.contains(where: { $0.state != .skipped }) {
            return []
        }
        return candidates
    }

    /// Runs and their logs.
    public var history: RunHistory { RunHistory(store: store) }

    /// Settles the work of processes that died: their runs (dry-runs included) are
    /// marked interrupted and, when no rebuild can be running, the shadow tables of
    /// a rebuild that did not finish are dropped. Every writing command calls it
    /// first; the lock-holding ones do it in the transaction that takes the lock.
    ///
    /// - Returns: what it settled, in words.
    @discardableResult
    public func recoverDeadWork(staleAfter: TimeInterval = MigrateOptions().staleAfter) throws -> [String] {
        do {
            return try store.maintain { upkeep in
                try DeadWorkRecovery.recover(upkeep, identity: identity, ownToken: nil, staleAfter: staleAfter)
            }
        } catch {
            throw store.explain(error, operation: "settling the work of processes that died")
        }
    }

    static func skippedNote(_ report: StatusReport) -> String {
        let skipped = report.count(.skipped)
        return skipped == 0 ? "" : " (\(skipped) skipped)"
    }

    func closestId(to id: String, in report: StatusReport) -> String? {
        report.migrations.map(\.id).min { $0.editDistance(to: id) < $1.editDistance(to: id) }
            .flatMap { $0.editDistance(to: id) <= max(3, id.count / 3) ? $0 : nil }
    }
}
