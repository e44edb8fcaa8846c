import CairnStore
import Foundation
import GRDB
import Logging

/// The runner core shared by the boot, the command line and the console:
/// status, validation, migrate, skip and unskip, runs and logs, unlock.
public final class MigrationRunner: Sendable {
    /// The application: handlers, projections, Swift migrations.
    public let application: CairnApplication
    /// The event store.
    public let store: EventStore
    /// The seeds folder.
    public let seedsDirectory: String
    /// The environment's name, for reports.
    public let environmentName: String
    /// The process environment, read for `CAIRN_SKIP_<ID>` variables.
    public let processEnvironment: [String: String]
    /// Who runs, recorded on runs, markers and the lock.
    public let identity: ProcessIdentity

    /// Creates a runner over an open store.
    public init(
        application: CairnApplication, store: EventStore, seedsDirectory: String, environmentName: String = "default",
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
    public func validate() throws -> [ValidationProblem] {
        let catalog = try catalog()
        let report = try status(catalog: catalog)
        return try validate(report.runnable.compactMap(\.migration), report: report, catalog: catalog).problems
    }

    func validate(_ migrations: [Migration], report: StatusReport, catalog: MigrationCatalog) throws -> Validator.Outcome {
        let gate = try QueryGate(databasePath: store.path)
        var outcome = Validator(domain: application.domain, gate: gate).validate(migrations)
        let runnable = Set(migrations.map(\.id))
        for status in report.migrations where runnable.contains(status.id) {
            if let note = status.ignoredSkipVariable {
                outcome.problems.append(ValidationProblem(
                    migrationId: status.id, location: nil, message: note,
                    hint: "remove the variable, or declare `-- skippable: true` in the seed"))
            }
        }
        outcome.problems = catalog.problems.map {
            ValidationProblem(migrationId: nil, location: $0.path, message: $0.message, hint: $0.hint)
        } + outcome.problems
        return outcome
    }

    /// The migrations a run would go through, in order: runnable and skipped ones, cut by `--to` and `--step`.
    func plan(_ report: StatusReport, options: MigrateOptions) throws -> [MigrationStatus] {
        var candidates = report.migrations.filter { [.pending, .failed, .skipped].contains($0.state) }
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

    /// Applies pending migrations in order under the database lock, recording a run with its log.
    ///
    /// Stops at the first failing migration. With nothing to do it records no run.
    ///
    /// - Throws: `RunnerError` (its `exitCode` is the command line's) or `CatalogError`.
    @discardableResult
    public func migrate(
        _ options: MigrateOptions = MigrateOptions(), logger: Logger,
        progress: @escaping (MigrationProgress) -> Void = { _ in }
    ) throws -> MigrateOutcome {
        let catalog = try catalog()
        let total = catalog.migrations.count
        let early = try status(catalog: catalog)
        if try plan(early, options: options).isEmpty && !early.blocked && early.problems.isEmpty {
            logger.info("0/\(total) pending\(MigrationRunner.skippedNote(early)) — nothing to do")
            return MigrateOutcome(runId: nil, applied: [], skipped: [], pending: 0)
        }

        var takeover: (LockInfo, String)?
        let lock = try DatabaseLock.acquire(
            store: store, holder: "cairn \(options.trigger == .boot ? "boot" : "up") (\(options.trigger.rawValue))",
            identity: identity, timeout: options.lockTimeout, staleAfter: options.staleAfter,
            heartbeatInterval: options.heartbeatInterval
        ) { event in
            switch event {
            case .waiting(let holder):
                logger.info("waiting up to \(Int(options.lockTimeout)) s for the migration lock, held by \(holder)")
            case .tookOver(let holder, let reason):
                takeover = (holder, reason)
            }
        }
        defer { lock.release() }

        // Under the lock, look again: another runner may have applied everything meanwhile.
        let report = try status(catalog: catalog)
        let plan = try plan(report, options: options)
        let toRun = plan.filter { $0.state != .skipped }
        if toRun.isEmpty && !report.blocked && report.problems.isEmpty {
            logger.info("0/\(total) pending\(MigrationRunner.skippedNote(report)) — nothing to do")
            return MigrateOutcome(runId: nil, applied: [], skipped: [], pending: 0)
        }

        var recordedOptions = options.recorded.mapValues(JSONValue.string)
        recordedOptions["environment"] = .string(environmentName)
        let recorder = try RunRecorder.start(
            store: store, kind: .migrate, trigger: options.trigger, options: recordedOptions, identity: identity,
            logger: logger)
        try lock.attach(run: recorder.id)
        if let (holder, reason) = takeover {
            recorder.log(.warning, "took over a stale migration lock from \(holder): \(reason)")
        }
        recorder.log(.info, "\(toRun.count)/\(total) pending")

        func stop(_ error: RunnerError, lines: [String]) -> RunnerError {
            for line in lines { recorder.log(.error, line) }
            recorder.finish(.failed, error: error.summary)
            return error
        }

        let blockers = report.blockers
        if report.blocked {
            if options.allowDrift {
                for line in blockers { recorder.log(.warning, "--allow-drift: running despite \(line)") }
            } else {
                throw stop(.blocked(problems: blockers, run: recorder.id), lines: blockers + [
                    "blocked: nothing ran; restore the files or write a new migration (--allow-drift overrides, recorded)",
                ])
            }
        }
        let outOfOrder = toRun.filter(\.outOfOrder)
        if !outOfOrder.isEmpty {
            let newest = report.migrations.filter { $0.marker != nil }.map(\.id).max() ?? ""
            let lines = outOfOrder.map { "out of order: \($0.id) is pending but sorts before \(newest), which is applied" }
            if options.strict {
                throw stop(.blocked(problems: lines, run: recorder.id), lines: lines + ["blocked by --strict: nothing ran"])
            }
            for line in lines { recorder.log(.warning, line) }
        }

        let validation = try validate(toRun.compactMap(\.migration), report: report, catalog: catalog)
        if !validation.problems.isEmpty {
            throw stop(
                .validationFailed(problems: validation.problems, run: recorder.id),
                lines: validation.problems.map { "invalid: \($0)" } + ["validation failed: nothing ran"])
        }
        recorder.log(.info, "dry-run ok — all referenced handlers registered")

        let gate = try QueryGate(databasePath: store.path)
        let applier = MigrationApplier(
            store: store, lock: lock, recorder: recorder, gate: gate, options: options, identity: identity,
            progress: progress)
        var applied: [AppliedMigration] = []
        var skipped: [(id: String, skip: SkipInfo)] = []
        for item in plan {
            if let skip = item.skip {
                let why = skip.source == .env
                    ? "\(skip.reason ?? "environment variable")=1"
                    : "override by \(skip.by ?? "?"): \(skip.reason ?? "")"
                recorder.log(.warning, "⤼ \(item.id) skipped (\(why))", migration: item.id)
                skipped.append((item.id, skip))
                continue
            }
            guard let migration = item.migration else { continue }
            do {
                let result = try applier.apply(migration, queries: validation.queries[migration.id] ?? [:])
                applied.append(result)
                recorder.log(
                    .info,
                    "✓ \(migration.id) (\(result.durationMilliseconds) ms, \(result.events) event\(result.events == 1 ? "" : "s"))"
                        + " — \(migration.description)",
                    migration: migration.id)
            } catch let failure as MigrationFailure {
                applier.recordFailure(migration, error: failure.summary)
                var lines = ["✗ \(failure.summary)"]
                if let advice = failure.advice { lines.append("  fix: \(advice)") }
                lines.append("stopped at \(migration.id); later migrations did not run")
                for line in lines { recorder.log(.error, line, migration: migration.id) }
                recorder.finish(.failed, error: failure.summary)
                throw RunnerError.migrationFailed(failure, run: recorder.id)
            } catch let error as RunnerError {
                applier.recordFailure(migration, error: error.summary)
                recorder.log(.error, "✗ \(migration.id): \(error.summary)", migration: migration.id)
                recorder.finish(.failed, error: error.summary)
                throw error
            }
        }
        let events = applied.reduce(0) { $0 + $1.events }
        recorder.log(.info, "done: \(applied.count) applied, \(skipped.count) skipped, \(events) event\(events == 1 ? "" : "s") written")
        recorder.finish(.succeeded)
        return MigrateOutcome(runId: recorder.id, applied: applied, skipped: skipped, pending: toRun.count)
    }

    /// Persists a skip of a skippable, unapplied migration.
    ///
    /// - Throws: `RunnerError.unknownMigration` or `.refused` (not skippable, already applied, no reason, past expiry).
    @discardableResult
    public func skip(_ id: String, reason: String, until: Date? = nil, by actor: String? = nil) throws -> Override {
        let report = try status()
        guard let status = report.migrations.first(where: { $0.id == id }) else {
            throw RunnerError.unknownMigration(id: id, suggestion: closestId(to: id, in: report))
        }
        guard status.marker == nil else {
            throw RunnerError.refused(
                reason: "\(id) is already applied (\(status.marker!.appliedAt)); a skip only affects migrations that have not run",
                remedy: nil)
        }
        guard status.skippable else {
            throw RunnerError.refused(
                reason: "\(id) is not skippable",
                remedy: "only migrations that declare `-- skippable: true` may be skipped; later migrations may depend on this one")
        }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else {
            throw RunnerError.refused(reason: "a skip needs a reason", remedy: "say why with --reason \"...\"")
        }
        if let until, until <= Date() {
            throw RunnerError.refused(reason: "the expiry \(Timestamp.string(from: until)) is in the past", remedy: "pass a future --until date")
        }
        return try store.pool.write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO cairn_overrides (migration_id, reason, created_by, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [id, reason, actor ?? identity.actor, Timestamp.now(), until.map(Timestamp.string(from:))])
            return try Override.fetchAll(db).first { $0.migrationId == id }!
        }
    }

    /// Removes a persisted skip, so the next run retries the migration.
    ///
    /// - Returns: the removed override.
    /// - Throws: `RunnerError.refused` when the migration has no override.
    @discardableResult
    public func unskip(_ id: String) throws -> Override {
        let removed = try store.pool.write { db -> Override? in
            let existing = try Override.fetchAll(db).first { $0.migrationId == id }
            try db.execute(sql: "DELETE FROM cairn_overrides WHERE migration_id = ?", arguments: [id])
            return existing
        }
        guard let removed else {
            let report = try status()
            if !report.migrations.contains(where: { $0.id == id }) {
                throw RunnerError.unknownMigration(id: id, suggestion: closestId(to: id, in: report))
            }
            throw RunnerError.refused(
                reason: "\(id) has no skip override",
                remedy: processEnvironment[MigrationID.skipVariable(for: id)] != nil
                    ? "it is skipped by the environment variable \(MigrationID.skipVariable(for: id)); unset it" : nil)
        }
        return removed
    }

    /// Runs and their logs.
    public var history: RunHistory { RunHistory(store: store) }

    /// Breaks the lock: a stale one, or with `force` a live one. Recorded as an `unlock` run.
    ///
    /// - Returns: the holder removed, and why it was stale; nil when nothing was locked.
    @discardableResult
    public func unlock(force: Bool, staleAfter: TimeInterval = MigrateOptions().staleAfter, logger: Logger) throws
        -> (info: LockInfo, staleReason: String?)?
    {
        guard let broken = try DatabaseLock.breakLock(store: store, force: force, staleAfter: staleAfter, identity: identity) else {
            return nil
        }
        let recorder = try RunRecorder.start(
            store: store, kind: .unlock, trigger: .cli, options: ["force": .bool(force)], identity: identity, logger: logger)
        recorder.log(
            .warning,
            "broke the migration lock held by \(broken.info)" + (broken.staleReason.map { " (stale: \($0))" } ?? " (live holder, --force)"))
        recorder.finish(.succeeded)
        return broken
    }

    private static func skippedNote(_ report: StatusReport) -> String {
        let skipped = report.count(.skipped)
        return skipped == 0 ? "" : " (\(skipped) skipped)"
    }

    private func closestId(to id: String, in report: StatusReport) -> String? {
        report.migrations.map(\.id).min { $0.editDistance(to: id) < $1.editDistance(to: id) }
            .flatMap { $0.editDistance(to: id) <= max(3, id.count / 3) ? $0 : nil }
    }
}
