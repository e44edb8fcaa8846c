import CairnStore
import Foundation
import Logging

extension MigrationRunner {
    /// The migrations a baseline through `id` marks applied, in run order, or why it is refused.
    ///
    /// - Throws: `RunnerError.unknownMigration`, or `.refused` (exit 2) when any migration is already
    ///   applied in the environment, or one up to `id` cannot be read, does not parse, or has committed
    ///   batches of a run that did not finish.
    func baselinePlan(_ report: StatusReport, through id: String) throws -> [MigrationStatus] {
        let nothing = "; nothing was written"
        guard report.migrations.contains(where: { $0.id == id && $0.migration != nil }) else {
            throw RunnerError.unknownMigration(id: id, suggestion: closestId(to: id, in: report))
        }
        let applied = report.migrations.filter { $0.marker != nil }
        if let newest = applied.last {
            throw RunnerError.refused(
                reason: "\(environmentName) already has \(applied.count) applied migration\(applied.count == 1 ? "" : "s")"
                    + " (the newest: \(newest.id), \(newest.state.rawValue)); a baseline adopts an environment where none is",
                remedy: "`\(ToolName.current) up` applies the pending ones; an edited or deleted applied file is ended with"
                    + " `\(ToolName.current) repair ID --reason …`" + nothing)
        }
        let chosen = report.migrations.filter { $0.id <= id }
        var stuck: [String] = []
        for status in chosen {
            guard let migration = status.migration else { continue }
            if migration.checksum.isEmpty {
                stuck.append("\(status.id) (its file cannot be read)")
            } else if case .invalid(let errors) = migration.source {
                stuck.append("\(status.id) (does not parse: \(errors.map(\.description).joined(separator: "; ")))")
            } else if status.state == .partial {
                stuck.append("\(status.id) (run \(status.partial?.runId ?? 0) committed part of it; finish it with `\(ToolName.current) up`)")
            }
        }
        if !stuck.isEmpty {
            throw RunnerError.refused(
                reason: "cannot baseline: \(stuck.joined(separator: ", "))",
                remedy: "fix those files (or finish that run) first, then baseline" + nothing)
        }
        return chosen
    }

    /// Checks a baseline without writing anything: how many migrations it would mark applied, or why
    /// it is refused (the same refusals as `baseline`).
    public func checkBaseline(through id: String, reason: String) throws -> Int {
        _ = try RecoveryReason.validated(reason, verb: "baseline")
        return try baselinePlan(try status(), through: id).count
    }

    /// Adopts Cairn on an environment whose data already reflects every migration up to and including
    /// `id`: marks them applied without running them (no events; markers flagged `baseline`, with the
    /// reason), in one transaction of a `baseline` run. Later migrations stay pending.
    ///
    /// - Throws: `RunnerError` — refused (exit 2, nothing written) for a missing or bad reason, an unknown
    ///   id, or an environment where a migration is already applied; the lock's errors (exit 4).
    @discardableResult
    public func baseline(
        through id: String, reason: String, options: MigrateOptions = MigrateOptions(), logger: Logger = .cairnBoot
    ) throws -> BaselineOutcome {
        let reason = try RecoveryReason.validated(reason, verb: "baseline")
        let checked = try baselinePlan(try status(), through: id)
        let lifecycle = RunLifecycle(
            runner: self, kind: .baseline, options: options, logger: logger, resume: "\(ToolName.current) baseline \(id) --reason …")
        return try lifecycle.holdingLock("\(ToolName.current) baseline") { start in
            // Read the files again under the lock: what is marked applied is what was checked, or nothing.
            let report = try status()
            let plan = try RunnerError.whileWaiting("this baseline", { try baselinePlan(report, through: id) })
            guard plan.map(\.id) == checked.map(\.id), plan.map(\.checksum) == checked.map(\.checksum) else {
                throw RunnerError.refused(
                    reason: "the migrations up to \(id) changed while this baseline waited for the migration lock",
                    remedy: "look at `\(ToolName.current) status` again, then baseline again; nothing was written")
            }
            let extra: [String: JSONValue] = ["through": .string(id), "reason": .string(reason)]
            return try lifecycle.recording(start, extra: extra) { scope in
                let now = Timestamp.now()
                let markers = plan.compactMap { status in
                    status.migration.map { migration in
                        Marker(
                            migrationId: migration.id, checksum: migration.checksum, checksumVersion: Checksum.currentVersion,
                            description: migration.description, appliedAt: now, durationMilliseconds: 0,
                            trigger: options.trigger, identity: identity, runId: scope.id, eventsWritten: 0, allowDrift: false,
                            baselineReason: reason)
                    }
                }
                var lines: [(LogLevel, String, migration: String?)] = plan.map { status in
                    (.info, "✓ baseline \(status.id): marked applied without running"
                        + (status.state == .skipped ? " (it was skipped here)" : "")
                        + (status.state == .failed ? " (its last attempt had failed)" : ""), status.id)
                }
                let pending = report.migrations.count - plan.count
                lines.append((.info, "baselined \(plan.count) migration\(plan.count == 1 ? "" : "s") through \(id) by"
                    + " \(identity.actor): \(reason); \(pending) later one\(pending == 1 ? "" : "s") stay\(pending == 1 ? "s" : "") pending", nil))
                try scope.recorder.commit("the baseline markers through \(id)", lines: lines) { ledger in
                    for marker in markers { try ledger.insertMarker(marker) }
                    try ledger.addToRun(scope.id, events: 0, migrations: markers.count)
                }
                return BaselineOutcome(runId: scope.id, migrations: plan.map(\.id), pending: pending)
            }
        }
    }
}
