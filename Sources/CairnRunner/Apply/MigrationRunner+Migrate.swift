import CairnStore
import Foundation
import GRDB
import Logging

extension MigrationRunner {
    /// Applies pending migrations in order under the database lock, recording a run with its log.
    ///
    /// Stops at the first failing migration. With nothing to do it records no run.
    /// Migrations that declare `rebuilds:` are followed by a rebuild run that
    /// starts after this run completed, and never after a failed one.
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

        let (lock, takeover) = try acquireLock(options: options, holder: options.trigger == .boot ? "cairn boot" : "cairn up", logger: logger)
        defer { lock.release() }

        // Under the lock, look again: another runner may have applied everything meanwhile.
        let report = try status(catalog: catalog)
        let plan = try plan(report, options: options)
        let toRun = plan.filter { $0.state != .skipped }
        if toRun.isEmpty && !report.blocked && report.problems.isEmpty {
            logger.info("0/\(total) pending\(MigrationRunner.skippedNote(report)) — nothing to do")
            return MigrateOutcome(runId: nil, applied: [], skipped: [], pending: 0)
        }

        let recorder = try startRun(.migrate, options: options, lock: lock, takeover: takeover, logger: logger)
        recorder.log(.info, "\(toRun.count)/\(total) pending")
        try checkBlockers(report, options: options, recorder: recorder)
        let outOfOrder = toRun.filter(\.outOfOrder)
        if !outOfOrder.isEmpty {
            let newest = report.migrations.filter { $0.marker != nil }.map(\.id).max() ?? ""
            let lines = outOfOrder.map { "out of order: \($0.id) is pending but sorts before \(newest), which is applied" }
            if options.strict {
                throw stop(.blocked(problems: lines, run: recorder.id), recorder: recorder, lines: lines + ["blocked by --strict: nothing ran"])
            }
            for line in lines { recorder.log(.warning, line) }
        }
        let validation = try validate(toRun.compactMap(\.migration), report: report, catalog: catalog, queryTimeout: options.queryTimeout)
        try stopIfInvalid(validation, recorder: recorder)
        recorder.log(.info, "dry-run ok — all referenced handlers registered")

        let applier = MigrationApplier(
            store: store, lock: lock, recorder: recorder, gate: try QueryGate(databasePath: store.path), options: options,
            identity: identity, progress: progress)
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
            let result = try apply(migration, queries: validation.queries[migration.id] ?? [:], direction: .up, applier: applier, recorder: recorder)
            applied.append(result)
        }
        let events = applied.reduce(0) { $0 + $1.events }
        recorder.log(.info, "done: \(applied.count) applied, \(skipped.count) skipped, \(events) event\(events == 1 ? "" : "s") written")
        recorder.finish(.succeeded)

        let rebuilds = Array(Set(applied.compactMap { result in catalog.migration(result.id)?.rebuilds }.joined())).sorted()
        if !rebuilds.isEmpty {
            logger.info("follow-up: rebuilding \(rebuilds.joined(separator: ", ")), as the applied migrations declare")
            try runRebuild(rebuilds, options: options, lock: lock, logger: logger, progress: { _, _ in })
        }
        return MigrateOutcome(runId: recorder.id, applied: applied, skipped: skipped, pending: toRun.count)
    }

    /// Takes the migration lock, reporting a wait and remembering a takeover for the run's log.
    func acquireLock(options: MigrateOptions, holder: String, logger: Logger) throws -> (DatabaseLock, (LockInfo, String)?) {
        var takeover: (LockInfo, String)?
        var waited = false
        let lock = try DatabaseLock.acquire(
            store: store, holder: "\(holder) (\(options.trigger.rawValue))", identity: identity, timeout: options.lockTimeout,
            staleAfter: options.staleAfter, heartbeatInterval: options.heartbeatInterval,
            isCanceled: { options.cancellation?.isCancelled == true }
        ) { event in
            switch event {
            case .waiting(let holder):
                waited = true
                logger.info("waiting up to \(String(format: "%g", options.lockTimeout)) s for the migration lock, held by \(holder)")
            case .tookOver(let holder, let reason):
                takeover = (holder, reason)
            }
        }
        if waited { logger.info("got the migration lock") }
        return (lock, takeover)
    }

    /// Records a run of `kind` holding `lock`, noting a stale lock it took over.
    func startRun(_ kind: RunKind, options: MigrateOptions, lock: DatabaseLock?, takeover: (LockInfo, String)?,
                  logger: Logger, extra: [String: JSONValue] = [:]) throws -> RunRecorder {
        var recorded = options.recorded.mapValues(JSONValue.string)
        recorded["environment"] = .string(environmentName)
        recorded.merge(extra) { _, new in new }
        let recorder = try RunRecorder.start(
            store: store, kind: kind, trigger: options.trigger, options: recorded, identity: identity, logger: logger)
        try lock?.attach(run: recorder.id)
        if let (holder, reason) = takeover {
            recorder.log(.warning, "took over a stale migration lock from \(holder): \(reason)")
        }
        return recorder
    }

    /// Logs `lines` as errors, ends the run as failed and returns `error` to throw.
    func stop(_ error: RunnerError, recorder: RunRecorder, lines: [String]) -> RunnerError {
        for line in lines { recorder.log(.error, line) }
        recorder.finish(.failed, error: error.summary)
        return error
    }

    /// Ends the run when drift or missing files block it, unless `--allow-drift`, which is logged.
    func checkBlockers(_ report: StatusReport, options: MigrateOptions, recorder: RunRecorder) throws {
        guard report.blocked else { return }
        if options.allowDrift {
            for line in report.blockers { recorder.log(.warning, "--allow-drift: running despite \(line)") }
            return
        }
        throw stop(.blocked(problems: report.blockers, run: recorder.id), recorder: recorder, lines: report.blockers + [
            "blocked: nothing ran; restore the files or write a new migration (--allow-drift overrides, recorded)",
        ])
    }

    /// Ends the run when validation found problems.
    func stopIfInvalid(_ validation: Validator.Outcome, recorder: RunRecorder) throws {
        guard !validation.problems.isEmpty else { return }
        throw stop(
            .validationFailed(problems: validation.problems, run: recorder.id), recorder: recorder,
            lines: validation.problems.map { "invalid: \($0)" } + ["validation failed: nothing ran"])
    }

    /// Applies (or reverts) one migration, logging the outcome; on failure or
    /// cancellation records the attempt and ends the run before rethrowing.
    func apply(
        _ migration: Migration, queries: [Int: CandidateQuery], direction: MigrationApplier.Direction,
        applier: MigrationApplier, recorder: RunRecorder
    ) throws -> AppliedMigration {
        do {
            let result = try applier.apply(migration, queries: queries, direction: direction)
            let verb = direction == .up ? "✓" : "↶ reverted"
            recorder.log(
                .info,
                "\(verb) \(migration.id) (\(result.durationMilliseconds) ms, \(result.events) event\(result.events == 1 ? "" : "s"))"
                    + " — \(migration.description)",
                migration: migration.id)
            return result
        } catch let failure as MigrationFailure {
            applier.recordFailure(migration, error: failure.summary)
            var lines = ["✗ \(failure.summary)"]
            if let advice = failure.advice { lines.append("  fix: \(advice)") }
            lines.append("stopped at \(migration.id); later migrations did not run")
            for line in lines { recorder.log(.error, line, migration: migration.id) }
            recorder.finish(.failed, error: failure.summary)
            throw RunnerError.migrationFailed(failure, run: recorder.id)
        } catch let error as RunnerError {
            if case .canceled = error {
                applier.recordFailure(migration, error: error.summary, status: "canceled")
                recorder.log(.warning, "⏹ \(migration.id): \(error.summary)", migration: migration.id)
                recorder.finish(.canceled, error: error.summary)
            } else {
                applier.recordFailure(migration, error: error.summary)
                recorder.log(.error, "✗ \(migration.id): \(error.summary)", migration: migration.id)
                recorder.finish(.failed, error: error.summary)
            }
            throw error
        }
    }
}
