import CairnStore
import Foundation
import Logging

extension MigrationRunner {
    /// The applied migrations a revert would undo, newest first: those after `target`,
    /// or the newest `steps`.
    ///
    /// - Throws: `RunnerError.refused` (exit 2) when neither or both are given, when
    ///   `target` is unknown, or when any of them cannot be reverted (no `@down`,
    ///   written in Swift, file missing) — naming every such migration.
    func revertPlan(_ report: StatusReport, target: String?, steps: Int?) throws -> [MigrationStatus] {
        let applied = report.migrations.filter { $0.marker != nil }.sorted { $0.id > $1.id }
        let chosen: [MigrationStatus]
        switch (target, steps) {
        case (let target?, nil):
            guard report.migrations.contains(where: { $0.id == target }) else {
                throw RunnerError.unknownMigration(id: target, suggestion: closestId(to: target, in: report))
            }
            chosen = applied.filter { $0.id > target }
        case (nil, let steps?):
            guard steps > 0 else { throw RunnerError.refused(reason: "--steps must be at least 1", remedy: nil) }
            chosen = Array(applied.prefix(steps))
        default:
            throw RunnerError.refused(reason: "say what to revert with --to ID or --steps N (one of them)", remedy: nil)
        }
        let stuck = chosen.filter { $0.migration?.isRevertible != true }
        if !stuck.isEmpty {
            let names = stuck.map { status in
                let why = status.migration == nil ? "its file is missing"
                    : status.migration?.kind == "swift" ? "it is written in Swift" : "it has no -- @down section"
                return "\(status.id) (\(why))"
            }
            throw RunnerError.refused(
                reason: "cannot revert: \(names.joined(separator: ", "))",
                remedy: "add a `-- @down` section that undoes each through handlers, or revert to a later migration;"
                    + " nothing was written")
        }
        return chosen
    }

    /// Undoes applied migrations newest first through their `@down` blocks, as `system`,
    /// removing each marker in the transaction of its last batch. Recorded as a revert run.
    ///
    /// - Throws: `RunnerError` — refused (exit 2) before writing anything when a
    ///   migration has no `@down`; blocked (3); a failed `@down` row (1); canceled (130),
    ///   saying how to finish the revert.
    @discardableResult
    public func revert(
        to target: String? = nil, steps: Int? = nil, options: MigrateOptions = MigrateOptions(), logger: Logger = .cairnBoot,
        progress: @escaping (MigrationProgress) -> Void = { _ in }
    ) throws -> MigrateOutcome {
        let catalog = try catalog()
        if try revertPlan(try status(catalog: catalog), target: target, steps: steps).isEmpty {
            for note in try recoverDeadWork(staleAfter: options.staleAfter) { logger.warning("recovered: \(note)") }
            logger.info("nothing to revert after \(target ?? "that")")
            return MigrateOutcome(runId: nil, applied: [], skipped: [], pending: 0)
        }
        let resume = target.map { "cairn revert --to \($0)" } ?? "cairn revert --steps \(steps ?? 1)"
        let lifecycle = RunLifecycle(runner: self, kind: .revert, options: options, logger: logger, resume: resume)
        return try lifecycle.holdingLock("cairn revert") { start in
            let report = try status(catalog: catalog)
            let plan = try revertPlan(report, target: target, steps: steps)
            var extra: [String: JSONValue] = [:]
            if let target { extra["to"] = .string(target) }
            if let steps { extra["steps"] = .int(Int64(steps)) }
            return try lifecycle.recording(start, extra: extra) { scope in
                scope.log(.info, "reverting \(plan.count) migration\(plan.count == 1 ? "" : "s"), newest first: \(plan.map(\.id).joined(separator: ", "))")
                try scope.checkBlockers(report)
                let validation = try scope.validate(plan.compactMap(\.migration), report: report, catalog: catalog, direction: .down)
                let applier = try MigrationApplier(scope: scope, identity: identity, progress: progress)
                var reverted: [AppliedMigration] = []
                for item in plan {
                    guard let migration = item.migration else { continue }
                    reverted.append(try applier.applyLogged(
                        migration, queries: validation.queries[migration.id] ?? [:], direction: .down))
                }
                let events = reverted.reduce(0) { $0 + $1.events }
                scope.log(.info, "done: \(reverted.count) reverted, \(events) compensating event\(events == 1 ? "" : "s") written")
                return MigrateOutcome(runId: scope.id, applied: reverted, skipped: [], pending: plan.count)
            }
        }
    }
}
