import CairnStore
import Foundation
import GRDB

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
}
