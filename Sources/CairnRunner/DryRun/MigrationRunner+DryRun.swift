import CairnStore
import Foundation
import Logging

extension MigrationRunner {
    /// Previews migrations: validates them, applies them in a transaction that is
    /// always rolled back, and reports the events, the read-model changes, every
    /// rejected row and whether each is idempotent.
    ///
    /// Without `ids`, previews every pending migration in run order, each seeing the
    /// effects of the ones before. With `revertTo` or `revertSteps`, previews the
    /// `@down` blocks a revert would run, newest first. Nothing of it stays in the
    /// store but its run record (kind `dry-run`) and log.
    ///
    /// - Throws: `RunnerError` — validation (2), blocked (3), refused (2).
    public func dryRun(
        _ ids: [String] = [], revertTo: String? = nil, revertSteps: Int? = nil,
        options: MigrateOptions = MigrateOptions(), logger: Logger
    ) throws -> DryRunReport {
        let catalog = try catalog()
        let report = try status(catalog: catalog)
        let reverting = revertTo != nil || revertSteps != nil
        var skipped: [(id: String, skip: SkipInfo)] = []
        let selected: [MigrationStatus]
        if reverting {
            selected = try revertPlan(report, target: revertTo, steps: revertSteps)
        } else if ids.isEmpty {
            selected = report.runnable
            skipped = report.migrations.compactMap { status in status.skip.map { (status.id, $0) } }
        } else {
            selected = try ids.map { id in
                guard let status = report.migrations.first(where: { $0.id == id }), status.migration != nil else {
                    throw RunnerError.unknownMigration(id: id, suggestion: closestId(to: id, in: report))
                }
                return status
            }.sorted { $0.id < $1.id }
        }
        var extra: [String: JSONValue] = ["migrations": .array(selected.map { .string($0.id) })]
        if let revertTo { extra["revertTo"] = .string(revertTo) }
        if let revertSteps { extra["revertSteps"] = .int(Int64(revertSteps)) }
        var resume = ["cairn dry-run"] + ids
        if let revertTo { resume.append("--revert-to \(revertTo)") }
        if let revertSteps { resume.append("--revert-steps \(revertSteps)") }
        let lifecycle = RunLifecycle(runner: self, kind: .dryRun, options: options, logger: logger, resume: resume.joined(separator: " "))
        return try lifecycle.holdingLock("cairn dry-run") { start in
            try lifecycle.recording(start, extra: extra) { scope in
                scope.log(.info, "DRY RUN — \(reverting ? "reverting" : "applying") \(selected.count) migration\(selected.count == 1 ? "" : "s") in a transaction that is rolled back")
                try scope.checkBlockers(report)
                let migrations = selected.compactMap(\.migration)
                let validation = try scope.validate(migrations, report: report, catalog: catalog, direction: reverting ? .down : .up)
                let gate = try store.makeCandidateGate()
                let tables = application.domain.projections.flatMap(\.tables).map(\.name)
                let previews = try store.writeAndRollBack { transaction in
                    try migrations.map { migration in
                        try preview(migration, reverting: reverting, queries: validation.queries[migration.id] ?? [:],
                                    transaction: transaction, gate: gate, tables: tables, runId: scope.id, options: options)
                    }
                }
                for preview in previews {
                    scope.log(
                        preview.clean ? .info : .warning,
                        "\(preview.clean ? "✓" : "✗") \(preview.id) would write \(preview.events.count) event\(preview.events.count == 1 ? "" : "s"),"
                            + " change \(preview.changes.count) row\(preview.changes.count == 1 ? "" : "s"),"
                            + " \(preview.rejections.count) rejection\(preview.rejections.count == 1 ? "" : "s"),"
                            + " \(preview.idempotent ? "idempotent" : "NOT idempotent")",
                        migration: preview.id)
                    for rejection in preview.rejections {
                        scope.log(.warning, "  row \(rejection.row) of block \(rejection.block): \(rejection.error) — payload \(rejection.payload)", migration: preview.id)
                    }
                    if let why = preview.notIdempotent {
                        scope.log(.warning, "  not idempotent: \(why)", migration: preview.id)
                    }
                }
                let dirty = previews.filter { !$0.clean }
                scope.log(.info, "DRY RUN — rolled back; the store is unchanged")
                if !dirty.isEmpty {
                    scope.end(as: .failed, error: "would not apply cleanly: \(dirty.map(\.id).joined(separator: ", "))")
                }
                return DryRunReport(runId: scope.id, migrations: previews, skipped: skipped)
            }
        }
    }

    /// Applies one migration inside the dry-run's transaction and records what it did.
    private func preview(
        _ migration: Migration, reverting: Bool, queries: [Int: CandidateQuery], transaction: StoreTransaction,
        gate: any CandidateGate, tables: [String], runId: Int64, options: MigrateOptions
    ) throws -> MigrationPreview {
        let recorder = try store.captureChanges(in: transaction, tables: tables)
        let first = transaction.appended.count
        transaction.tags = ["migrationId": .string(migration.id), "runId": .int(runId), "dryRun": .bool(true)]
        var rejections: [MigrationPreview.Rejection] = []
        var notIdempotent: String?
        var rows = 0
        switch migration.source {
        case .seed(let seed):
            for block in reverting ? (seed.downBlocks ?? []) : seed.blocks {
                guard let query = queries[block.index] else { continue }
                let candidates = try store.candidates(query, limit: Int(Int32.max), in: transaction, timeout: options.queryTimeout)
                var refused = Set<RowDigest>()
                for (offset, row) in candidates.enumerated() {
                    if let flag = options.cancellation, flag.isCancelled {
                        throw RunnerError.canceled(reason: flag.reason, kind: .dryRun)
                    }
                    let number = offset + 1
                    let payloadText = row.payloadDescription
                    do {
                        let text = try FailureDiagnosis.payloadText(row, migration: migration.id, block: block, number: number)
                        let payload = try Payload(parsing: text)
                        _ = try transaction.withSavepoint {
                            try transaction.dispatch(Command(block.handler, payload: payload, actor: .system, streamTenant: row.streamTenant))
                        }
                    } catch {
                        refused.insert(RowDigest(payload: payloadText, streamTenant: row.streamTenant))
                        let failure = error as? MigrationFailure
                        rejections.append(MigrationPreview.Rejection(
                            row: number, block: block.index, handler: block.handler.description, payload: payloadText,
                            error: failure?.error ?? FailureDiagnosis.describe(error, handler: block.handler.description),
                            advice: failure?.advice ?? FailureDiagnosis.advice(for: error)))
                    }
                }
                rows += candidates.count
                // Idempotent: after its own writes the query returns nothing but the refused rows.
                let after = try store.candidates(query, limit: refused.count + 1, in: transaction, timeout: options.queryTimeout)
                if notIdempotent == nil, let again = after.first(where: {
                    !refused.contains(RowDigest(payload: $0.payloadDescription, streamTenant: $0.streamTenant))
                }) {
                    notIdempotent = "block \(block.index): after its writes the candidate query still returns "
                        + again.payloadDescription
                }
            }
        case .swift(let swift):
            do {
                try transaction.withSavepoint {
                    try swift.run(MigrationContext(
                        migrationId: migration.id, runId: runId, transaction: transaction, gate: gate,
                        queryTimeout: options.queryTimeout))
                }
            } catch {
                rejections.append(MigrationPreview.Rejection(
                    row: 0, block: 0, handler: "swift", payload: "", error: FailureDiagnosis.describe(error, handler: nil),
                    advice: FailureDiagnosis.advice(for: error)))
            }
        case .invalid:
            break
        }
        return MigrationPreview(
            id: migration.id, description: migration.description, reverting: reverting,
            events: Array(transaction.appended[first...]), changes: try recorder.changes(), rejections: rejections,
            rows: rows, notIdempotent: notIdempotent)
    }
}
