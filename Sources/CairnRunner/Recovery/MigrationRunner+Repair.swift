import CairnStore
import Foundation
import Logging

extension MigrationRunner {
    /// What a repair of `id` would do, or why it is refused.
    ///
    /// - Throws: `RunnerError.unknownMigration`, or `.refused` (exit 2) when the migration is not
    ///   applied, is applied and matches its file, is already retired, or its file cannot be read
    ///   or does not parse now (approving a broken file would hide it).
    func repairPlan(_ report: StatusReport, id: String) throws
        -> (status: MigrationStatus, marker: Marker, action: RepairOutcome.Action)
    {
        guard let status = report.migrations.first(where: { $0.id == id }) else {
            throw RunnerError.unknownMigration(id: id, suggestion: closestId(to: id, in: report))
        }
        let nothing = "; nothing was written"
        guard let marker = status.marker else {
            throw RunnerError.refused(
                reason: "\(id) is \(status.state.rawValue), not applied in \(environmentName): there is nothing to repair",
                remedy: "repair approves an applied file that was edited, or retires one that was deleted; "
                    + "`\(ToolName.current) status` shows where each migration stands" + nothing)
        }
        switch status.state {
        case .missing:
            // A seeds folder that holds none of the applied files is the wrong folder, not a deletion.
            let applied = report.migrations.filter { $0.marker != nil && $0.state != .retired }
            if applied.count > 1, applied.allSatisfy({ $0.state == .missing }) {
                throw RunnerError.refused(
                    reason: "the file of every applied migration (\(applied.count)) is missing from \(report.seeds):"
                        + " that looks like the wrong seeds folder, not a file deleted on purpose",
                    remedy: "pass the application's seeds folder with --seeds (or set `seeds` in cairn.toml)" + nothing)
            }
            return (status, marker, .retired)
        case .retired:
            throw RunnerError.refused(
                reason: "\(id) is already retired (on \(marker.repairedAt ?? "?") by \(marker.repairedBy ?? "?"):"
                    + " \(marker.repairReason ?? ""))",
                remedy: "it blocks nothing; `\(ToolName.current) status` shows it" + nothing)
        case .drift:
            guard let migration = status.migration, !migration.checksum.isEmpty else {
                throw RunnerError.refused(
                    reason: "the file of \(id) cannot be read now, so there is no checksum to approve",
                    remedy: "make the file readable again (`\(ToolName.current) status` says why it is not), then repair it" + nothing)
            }
            if case .invalid(let errors) = migration.source {
                throw RunnerError.refused(
                    reason: "\(migration.path ?? id) does not parse now (\(errors.map(\.description).joined(separator: "; ")))",
                    remedy: "fix the file first, then repair it: approving a file that cannot run would hide the problem"
                        + nothing)
            }
            return (status, marker, .repaired)
        case .applied where marker.retired && status.migration != nil:
            // Its file is back as applied: the repair ends the retirement.
            return (status, marker, .repaired)
        default:
            if marker.checksumVersion > Checksum.currentVersion {
                throw RunnerError.refused(
                    reason: "the marker of \(id) was taken with checksum normalisation v\(marker.checksumVersion), newer"
                        + " than this Cairn's v\(Checksum.currentVersion): whether its file changed cannot be told here",
                    remedy: "upgrade cairn, then look at `\(ToolName.current) status` again" + nothing)
            }
            throw RunnerError.refused(
                reason: "\(id) is \(status.state.rawValue) and its file matches its marker: it is neither drifted nor missing",
                remedy: "repair only ends the block of an edited or deleted applied file; `\(ToolName.current) status` lists those" + nothing)
        }
    }

    /// Checks a repair without writing anything: what it would do, or why it is refused (the same
    /// refusals as `repair`), so a command can ask for confirmation only of work that can happen.
    public func checkRepair(_ id: String, reason: String) throws -> RepairOutcome.Action {
        _ = try RecoveryReason.validated(reason, verb: "repair")
        return try repairPlan(try status(), id: id).action
    }

    /// Ends the block of an applied migration on purpose, on the record: for an edited file, approves its
    /// current checksum (the marker keeps the one it replaced); for a deleted file, retires the migration,
    /// which then never blocks again and keeps its history. Either way the marker keeps who (user and
    /// host), when and why, and a `repair` run records it with the reason.
    ///
    /// - Throws: `RunnerError` — refused (exit 2, nothing written) for a missing or bad reason, an unknown
    ///   id, or a migration that is neither drifted nor missing; the lock's errors (exit 4).
    /// - Parameter expecting: what the caller showed the operator — the action and the checksum of the
    ///   file (or, for a missing one, the marker) — when they decided; a repair of anything else is refused.
    @discardableResult
    public func repair(
        _ id: String, reason: String, expecting: (action: RepairOutcome.Action, checksum: String)? = nil,
        options: MigrateOptions = MigrateOptions(), logger: Logger = .cairnBoot
    ) throws -> RepairOutcome {
        let reason = try RecoveryReason.validated(reason, verb: "repair")
        let checked = try repairPlan(try status(), id: id)
        if let expecting, expecting.action != checked.action || expecting.checksum != checked.status.checksum {
            throw RunnerError.refused(
                reason: "\(id) changed after the confirmation was opened: it would now be \(checked.action.rawValue)"
                    + (expecting.action == checked.action ? " with another checksum" : ", not \(expecting.action.rawValue)"),
                remedy: "look at it again, then repair it if it still needs it; nothing was written")
        }
        let lifecycle = RunLifecycle(
            runner: self, kind: .repair, options: options, logger: logger, resume: "\(ToolName.current) repair \(id) --reason …")
        return try lifecycle.holdingLock("\(ToolName.current) repair") { start in
            // Read the files and the marker again under the lock: while this waited, another process
            // may have repaired it, or someone restored or edited the file. What is approved is
            // what was checked, or nothing.
            let (status, marker, action) = try RunnerError.whileWaiting("this repair", { try repairPlan(try self.status(), id: id) })
            guard action == checked.action, status.checksum == checked.status.checksum,
                  marker.checksum == checked.marker.checksum else {
                throw RunnerError.refused(
                    reason: "\(id) changed while this repair waited for the migration lock"
                        + " (its file or its marker is not what was checked)",
                    remedy: "look at `\(ToolName.current) status` again, then repair it if it still needs it; nothing was written")
            }
            let now = Timestamp.now()
            var extra: [String: JSONValue] = [
                "migration": .string(id), "action": .string(action.rawValue), "reason": .string(reason),
            ]
            if action == .repaired, let migration = status.migration {
                extra["previousChecksum"] = .string(marker.checksum)
                extra["checksum"] = .string(migration.checksum)
            }
            return try lifecycle.recording(start, extra: extra) { scope in
                let written: Marker
                let line: String
                switch action {
                case .repaired:
                    let migration = status.migration!
                    written = marker.repaired(
                        checksum: migration.checksum, version: Checksum.currentVersion, description: migration.description,
                        at: now, by: identity, reason: reason, run: scope.id)
                    line = "✓ repaired \(id): approved its edited file, checksum \(migration.checksum.prefix(12))…"
                        + " (was \(marker.checksum.prefix(12))…), by \(identity.actor): \(reason)"
                case .retired:
                    written = marker.retiring(at: now, by: identity, reason: reason, run: scope.id)
                    line = "✓ retired \(id): its file is gone on purpose (applied \(marker.appliedAt) in run \(marker.runId));"
                        + " it blocks nothing from now on, by \(identity.actor): \(reason)"
                }
                try scope.recorder.commit("the \(action.rawValue) marker of \(id)", lines: [(.info, line, id)]) { ledger in
                    guard try ledger.updateMarker(written) else { throw RunnerError.lockLost() }
                }
                return RepairOutcome(migrationId: id, action: action, runId: scope.id, marker: written)
            }
        }
    }
}
