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
                let why = status.state == .retired ? "it is retired: its file was deleted"
                    : status.migration == nil ? "its file is missing"
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
        if let steps { try refuseStepsAfterUnfinishedRevert(try status(catalog: catalog), steps: steps) }
        let lifecycle = RunLifecycle(runner: self, kind: .revert, options: options, logger: logger, resume: { [self] in
            resumeCommand(keeping: target, steps: steps)
        })
        return try lifecycle.holdingLock("\(ToolName.current) revert") { start in
            let report = try status(catalog: catalog)
            let plan = try revertPlan(report, target: target, steps: steps)
            var extra: [String: JSONValue] = [:]
            if let target { extra["to"] = .string(target) }
            if let steps { extra["steps"] = .int(Int64(steps)) }
            // What the revert keeps: the newest applied migration it does not revert ("" for none),
            // so a revert that did not finish can be finished exactly.
            extra["keeps"] = .string(Self.kept(by: plan, in: report) ?? "")
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

    /// The newest applied migration that `plan` does not revert, or nil when it reverts them all.
    static func kept(by plan: [MigrationStatus], in report: StatusReport) -> String? {
        let reverted = Set(plan.map(\.id))
        return report.migrations.filter { $0.marker != nil && !reverted.contains($0.id) }.map(\.id).max()
    }

    /// The command that finishes a revert that stopped: `--to` the migration it keeps, or
    /// `--steps` with what is still applied when it reverts them all. (Rerunning its own
    /// `--steps N` would revert N more, not the N it set out to.)
    func resumeCommand(keeping target: String?, steps: Int?) -> String {
        if let target { return "\(ToolName.current) revert --to \(target)" }
        guard let report = try? status(), let steps else { return "\(ToolName.current) revert --steps \(steps ?? 1)" }
        let run = (try? history.runs(limit: 20))?.first { $0.kind == .revert }
        if let keeps = run.flatMap(Self.keeps(of:)) {
            return Self.finishingRevert(keeps: keeps, applied: report.migrations.filter { $0.marker != nil }.count)
        }
        return "\(ToolName.current) revert --steps \(steps)"
    }

    /// What a revert run recorded that it keeps: a migration id, "" for none, nil when it did not record it.
    static func keeps(of run: RunRecord) -> String? {
        keeps(options: run.options)
    }

    /// What a revert run's recorded options (JSON) say it keeps, or nil when they do not say.
    static func keeps(options: String) -> String? {
        guard case .object(let options)? = try? JSONValue(parsing: options), case .string(let keeps)? = options["keeps"] else {
            return nil
        }
        return keeps
    }

    /// The command that finishes a revert keeping `keeps` ("" for none), with `applied` migrations still applied.
    static func finishingRevert(keeps: String, applied: Int) -> String {
        keeps.isEmpty ? "\(ToolName.current) revert --steps \(applied)" : "\(ToolName.current) revert --to \(keeps)"
    }

    /// Refuses `--steps` while the newest revert did not finish, unless the steps name exactly
    /// what is left of it: they would count from where it stopped and revert more than
    /// meant. `--to` stays allowed.
    ///
    /// - Throws: `RunnerError.refused` naming the command that finishes the unfinished revert.
    func refuseStepsAfterUnfinishedRevert(_ report: StatusReport, steps: Int) throws {
        let runs = try history.runs(limit: 50)
        guard let last = runs.first(where: { $0.kind == .revert || $0.kind == .migrate }), last.kind == .revert,
              last.status != .succeeded, last.status != .running, let keeps = Self.keeps(of: last) else { return }
        let left = report.migrations.filter { $0.marker != nil && (keeps.isEmpty || $0.id > keeps) }.map(\.id)
        let asked = report.migrations.filter { $0.marker != nil }.map(\.id).sorted(by: >).prefix(steps)
        guard !left.isEmpty, Set(asked) != Set(left) else { return }
        let finish = keeps.isEmpty ? "\(ToolName.current) revert --steps \(left.count)" : "\(ToolName.current) revert --to \(keeps)"
        throw RunnerError.refused(
            reason: "the revert of run \(last.id) did not finish (\(last.status.rawValue)): \(left.joined(separator: ", "))"
                + " \(left.count == 1 ? "is" : "are") still applied, so --steps would count from where it stopped",
            remedy: "finish it with `\(finish)`, or say exactly what to revert with --to ID; nothing was written")
    }
}
