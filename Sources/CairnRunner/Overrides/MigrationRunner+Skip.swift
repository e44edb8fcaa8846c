import CairnStore
import Foundation

extension MigrationRunner {
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
        try recoverDeadWork()
        let override = Override(
            migrationId: id, reason: reason, createdBy: actor ?? identity.actor, createdAt: Timestamp.now(),
            expiresAt: until.map(Timestamp.string(from:)))
        try store.writeLedger { ledger in try ledger.putOverride(override) }
        return override
    }

    /// Removes a persisted skip, so the next run retries the migration.
    ///
    /// - Returns: the removed override.
    /// - Throws: `RunnerError.refused` when the migration has no override.
    @discardableResult
    public func unskip(_ id: String) throws -> Override {
        let existing = try store.readLedger { try $0.overrides() }.first { $0.migrationId == id }
        var removed: Override?
        if existing != nil {
            try recoverDeadWork()
            removed = try store.writeLedger { ledger in try ledger.deleteOverride(id) }
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
}
