import CairnStore
import Foundation
import Logging

extension MigrationRunner {
    /// Applies pending migrations in order under the database lock, recording a run with its log.
    ///
    /// Stops at the first failing migration. With nothing to do it records no run.
    /// Migrations that declare `rebuilds:` owe a rebuild of those projections, run
    /// as its own rebuild run after this run completed (never after a failed one);
    /// a rebuild still owed from an earlier run that did not finish is run too.
    ///
    /// - Throws: `RunnerError` (its `exitCode` is the command line's), `CatalogError`,
    ///   or `StoreError` (a full disk, a damaged file) after ending the run as failed.
    @discardableResult
    public func migrate(
        _ options: MigrateOptions = MigrateOptions(), logger: Logger = .cairnBoot,
        progress: @escaping (MigrationProgress) -> Void = { _ in }
    ) throws -> MigrateOutcome {
        let catalog = try catalog()
        let total = catalog.migrations.count
        let nothing = MigrateOutcome(runId: nil, applied: [], skipped: [], pending: 0)
        func nothingToDo(_ report: StatusReport) throws -> Bool {
            try plan(report, options: options).isEmpty && !report.blocked && report.problems.isEmpty
                && report.owedRebuilds.isEmpty
        }
        let early = try status(catalog: catalog)
        if try nothingToDo(early) {
            // A writing command settles dead work even when it has nothing to do; a run
            // takes the lock instead, which settles it in the same transaction.
            for note in try recoverDeadWork(staleAfter: options.staleAfter) { logger.warning("recovered: \(note)") }
            logger.info("0/\(total) pending\(MigrationRunner.skippedNote(early)) — nothing to do")
            // `up` never finishes a revert; say which command does.
            for status in early.migrations where status.partial?.direction == .down {
                logger.warning("\(status.id) is \(status.partial!.summary)")
            }
            return nothing
        }
        let lifecycle = RunLifecycle(runner: self, kind: .migrate, options: options, logger: logger, resume: "\(ToolName.current) up")
        return try lifecycle.holdingLock(options.trigger == .boot ? "\(ToolName.current) boot" : "\(ToolName.current) up") { start in
            // Under the lock, look again: another runner may have applied everything meanwhile.
            let report = try status(catalog: catalog)
            if try nothingToDo(report) {
                logger.info("0/\(total) pending\(MigrationRunner.skippedNote(report)) — nothing to do")
                return nothing
            }
            let plan = try plan(report, options: options)
            let toRun = plan.filter { $0.state != .skipped }
            var outcome = nothing
            if !toRun.isEmpty || report.blocked || !report.problems.isEmpty {
                outcome = try lifecycle.recording(start) { scope in
                    try applyPlan(plan, report: report, catalog: catalog, total: total, scope: scope, progress: progress)
                }
            }
            // The rebuilds the applied migrations declared, and any still owed from a run that did not finish one.
            let owed = try store.readLedger { try $0.owedRebuilds() }
            if !owed.isEmpty {
                let declaring = Set(owed.map(\.migrationId)).sorted()
                let projections = owed.map(\.projection).joined(separator: ", ")
                let verb = declaring.count == 1 ? "declares" : "declare"
                logger.info("follow-up: rebuilding \(projections), as \(declaring.joined(separator: ", ")) \(verb)")
                // A migrate run that was recorded already logged the takeover and the recovery.
                try runRebuild(
                    owed.map(\.projection), options: options, start: outcome.runId == nil ? start : start.forNextRun,
                    logger: logger, progress: { _, _ in })
            }
            return outcome
        }
    }

    /// The body of a migrate run: blockers, order, validation, then each migration of the plan.
    private func applyPlan(
        _ plan: [MigrationStatus], report: StatusReport, catalog: MigrationCatalog, total: Int, scope: RunScope,
        progress: @escaping (MigrationProgress) -> Void
    ) throws -> MigrateOutcome {
        let options = scope.options
        let toRun = plan.filter { $0.state != .skipped }
        scope.log(.info, "\(toRun.count)/\(total) pending")
        for stray in report.strayVariables { scope.log(.warning, stray) }
        try scope.checkBlockers(report)
        // A half-done revert first: what `up` applied now would have to be reverted with it,
        // and the command that finishes the revert would change under the operator's feet.
        let halfReverted = report.migrations.filter { $0.partial?.direction == .down }
        if !toRun.isEmpty, !halfReverted.isEmpty {
            try scope.block(
                halfReverted.map { "\($0.id) is \($0.partial!.summary)" },
                because: "blocked: nothing ran; finish the revert first, then run `\(ToolName.current) up`")
        }
        let outOfOrder = toRun.filter(\.outOfOrder)
        if !outOfOrder.isEmpty {
            let newest = report.migrations.filter { $0.marker != nil }.map(\.id).max() ?? ""
            let lines = outOfOrder.map { "out of order: \($0.id) is pending but sorts before \(newest), which is applied" }
            if options.strict {
                try scope.block(lines, because: "blocked by --strict: nothing ran")
            }
            for line in lines { scope.log(.warning, line) }
        }
        let validation = try scope.validate(toRun.compactMap(\.migration), report: report, catalog: catalog, direction: .up)
        let applier = try MigrationApplier(scope: scope, identity: identity, progress: progress)
        var applied: [AppliedMigration] = []
        var skipped: [(id: String, skip: SkipInfo)] = []
        for item in plan {
            if let skip = item.skip {
                let why = skip.source == .env
                    ? "\(skip.reason ?? "environment variable")=1"
                    : "override by \(skip.by ?? "?"): \(skip.reason ?? "")"
                scope.log(.warning, "⤼ \(item.id) skipped (\(why))", migration: item.id)
                skipped.append((item.id, skip))
                continue
            }
            guard let migration = item.migration else { continue }
            applied.append(try applier.applyLogged(migration, queries: validation.queries[migration.id] ?? [:], direction: .up))
        }
        let events = applied.reduce(0) { $0 + $1.events }
        scope.log(.info, "done: \(applied.count) applied, \(skipped.count) skipped, \(events) event\(events == 1 ? "" : "s") written")
        return MigrateOutcome(runId: scope.id, applied: applied, skipped: skipped, pending: toRun.count)
    }
}
