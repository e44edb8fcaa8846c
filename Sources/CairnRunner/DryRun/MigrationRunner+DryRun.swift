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
        options: MigrateOptions = MigrateOptions(), logger: Logger = .cairnBoot
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
                guard let status = report.migrations.first(where: { $0.id == id }) else {
                    throw RunnerError.unknownMigration(id: id, suggestion: closestId(to: id, in: report))
                }
                guard status.migration != nil else {
                    throw RunnerError.refused(
                        reason: "\(id) is \(status.state.rawValue): its file is gone, so there is nothing to preview",
                        remedy: status.state == .missing
                            ? "restore the file, or retire the migration with `\(ToolName.current) repair \(id) --reason …`" : nil)
                }
                return status
            }.sorted { $0.id < $1.id }
        }
        var extra: [String: JSONValue] = ["migrations": .array(selected.map { .string($0.id) })]
        if let revertTo { extra["revertTo"] = .string(revertTo) }
        if let revertSteps { extra["revertSteps"] = .int(Int64(revertSteps)) }
        var resume = ["\(ToolName.current) dry-run"] + ids
        if let revertTo { resume.append("--revert-to \(revertTo)") }
        if let revertSteps { resume.append("--revert-steps \(revertSteps)") }
        let lifecycle = RunLifecycle(runner: self, kind: .dryRun, options: options, logger: logger, resume: resume.joined(separator: " "))
        return try lifecycle.holdingLock("\(ToolName.current) dry-run") { start in
            try lifecycle.recording(start, extra: extra) { scope in
                scope.log(.info, "DRY RUN — \(reverting ? "reverting" : "applying") \(selected.count) migration\(selected.count == 1 ? "" : "s") \(store.previewPlace)")
                try scope.checkBlockers(report)
                let migrations = selected.compactMap(\.migration)
                let validation = try scope.validate(migrations, report: report, catalog: catalog, direction: reverting ? .down : .up)
                // The preview runs on a private copy (SQLite) or in a transaction rolled back (PostgreSQL):
                // the application's writes never wait for it.
                let copy = try store.makePreviewStore(run: scope.id)
                defer { copy.discard() }
                let gate = try copy.store.makeCandidateGate()
                let tables = application.domain.projections.flatMap(\.tables).map(\.name)
                let previews: [MigrationPreview]
                do {
                    previews = try copy.store.writeAndRollBack { transaction in
                        try migrations.map { migration in
                            try preview(migration, reverting: reverting, queries: validation.queries[migration.id] ?? [:],
                                        on: copy.store, transaction: transaction, gate: gate, tables: tables, runId: scope.id,
                                        options: options)
                        }
                    }
                } catch let error as RunnerError {
                    throw error
                } catch let error as MigrationFailure {
                    throw error
                } catch {
                    // Explained while the copy still fills the disk, so a full disk is named as such.
                    let explained = copy.store.explain(error, operation: "previewing")
                    if case StoreError.diskFull? = explained as? StoreError {
                        throw StoreError.diskFull(
                            path: store.location, operation: "a dry-run's writes to its private copy, which is removed")
                    }
                    throw explained
                }
                for preview in previews {
                    scope.log(
                        preview.clean ? .info : .warning,
                        "\(preview.clean ? "✓" : "✗") \(preview.id) would write \(preview.eventCount) event\(preview.eventCount == 1 ? "" : "s"),"
                            + " change \(preview.changeCount) row\(preview.changeCount == 1 ? "" : "s"),"
                            + " \(preview.rejectionCount) rejection\(preview.rejectionCount == 1 ? "" : "s"),"
                            + " \(preview.idempotent ? "idempotent" : "NOT idempotent")",
                        migration: preview.id)
                    for rejection in preview.rejections.prefix(20) {
                        scope.log(.warning, "  row \(rejection.row) of block \(rejection.block): \(rejection.error) — payload \(rejection.payload)", migration: preview.id)
                    }
                    if preview.rejectionCount > 20 {
                        scope.log(.warning, "  … and \(preview.rejectionCount - 20) more rejected rows", migration: preview.id)
                    }
                    if let why = preview.notIdempotent {
                        scope.log(.warning, "  not idempotent: \(why)", migration: preview.id)
                    }
                }
                let dirty = previews.filter { !$0.clean }
                scope.log(.info, "DRY RUN — thrown away; the store is unchanged")
                if !dirty.isEmpty {
                    scope.end(as: .failed, error: "would not apply cleanly: \(dirty.map(\.id).joined(separator: ", "))")
                }
                return DryRunReport(runId: scope.id, migrations: previews, skipped: skipped)
            }
        }
    }

    /// Applies one migration inside the dry-run's transaction on the private copy, in the
    /// batches `up` would use, and records what it did: the first `previewLimit` events,
    /// changes and rejections, and how many of each in all.
    private func preview(
        _ migration: Migration, reverting: Bool, queries: [Int: CandidateQuery], on store: any RunnerStore,
        transaction: StoreTransaction, gate: any CandidateGate, tables: [String], runId: Int64, options: MigrateOptions
    ) throws -> MigrationPreview {
        let recorder = try store.captureChanges(in: transaction, tables: tables)
        transaction.forgetAppended()
        transaction.tags = ["migrationId": .string(migration.id), "runId": .int(runId), "dryRun": .bool(true)]
        let limit = max(0, options.previewLimit)
        var events: [StoredEvent] = []
        var eventCount = 0
        var eventTypes: [String: Int] = [:]
        func collectEvents() {
            eventCount += transaction.appended.count
            for event in transaction.appended { eventTypes[event.type, default: 0] += 1 }
            if events.count < limit { events += transaction.appended.prefix(limit - events.count) }
            transaction.forgetAppended()
        }
        var rejections: [MigrationPreview.Rejection] = []
        var rejectionCount = 0
        func reject(_ rejection: MigrationPreview.Rejection) {
            rejectionCount += 1
            if rejections.count < limit { rejections.append(rejection) }
        }
        var notIdempotent: String?
        var rows = 0
        switch migration.source {
        case .seed(let seed):
            for block in reverting ? (seed.downBlocks ?? []) : seed.blocks where notIdempotent == nil {
                guard let query = queries[block.index] else { continue }
                let batch = max(1, seed.header.batch)
                let initial = try store.countCandidates(query, in: transaction, timeout: options.queryTimeout)
                var written = Set<RowDigest>()
                var refused = Set<RowDigest>()
                var number = 0
                var sawAll = false
                batches: while true {
                    // Refused rows were never written, so they come back: ask for them on top of a batch.
                    let asked = batch + refused.count
                    let fetched = try store.candidates(query, limit: asked, in: transaction, timeout: options.queryTimeout)
                    // Each row's digest once; the rows refused so far are left out before any of these is handled.
                    let fresh = fetched.map { ($0, RowDigest(payload: $0.payloadDescription, streamTenant: $0.streamTenant)) }
                        .filter { !refused.contains($0.1) }
                    guard let first = fresh.first else { break }
                    if sawAll {
                        notIdempotent = "block \(block.index): after its writes the candidate query still returns "
                            + first.0.payloadDescription
                        break
                    }
                    for (row, digest) in fresh.prefix(batch) {
                        if let flag = options.cancellation, flag.isCancelled {
                            throw RunnerError.canceled(reason: flag.reason, kind: .dryRun)
                        }
                        number += 1
                        if written.contains(digest) {
                            notIdempotent = "block \(block.index): row \(number) was written earlier in this preview and the"
                                + " candidate query returned it again: \(row.payloadDescription)"
                            break batches
                        }
                        if number > initial + batch {
                            notIdempotent = "block \(block.index): the candidate query has returned \(number) rows, but only"
                                + " \(initial) needed the change when the block started: each write makes new candidates"
                            break batches
                        }
                        do {
                            let text = try FailureDiagnosis.payloadText(row, migration: migration.id, block: block, number: number)
                            let payload = try Payload(parsing: text)
                            _ = try transaction.withSavepoint {
                                try transaction.dispatchCounting(Command(block.handler, payload: payload, actor: .system, streamTenant: row.streamTenant))
                            }
                            written.insert(digest)
                        } catch {
                            refused.insert(digest)
                            let failure = error as? MigrationFailure
                            reject(MigrationPreview.Rejection(
                                row: number, block: block.index, handler: block.handler.description, payload: row.payloadDescription,
                                error: failure?.error ?? FailureDiagnosis.describe(error, handler: block.handler.description),
                                advice: failure?.advice ?? FailureDiagnosis.advice(for: error)))
                        }
                    }
                    collectEvents()
                    // Every candidate was fetched and every fresh one handled: a candidate that shows up
                    // now was made by these writes. (Refused rows a write has since made vanish keep
                    // `asked` high, so a short fetch can still hold more fresh rows than one batch.)
                    sawAll = fetched.count < asked && fresh.count <= batch
                }
                rows += number
            }
        case .swift(let swift):
            do {
                try transaction.withSavepoint {
                    try swift.run(MigrationContext(
                        migrationId: migration.id, runId: runId, transaction: transaction, gate: gate,
                        queryTimeout: options.queryTimeout))
                }
            } catch {
                reject(MigrationPreview.Rejection(
                    row: 0, block: 0, handler: "swift", payload: "", error: FailureDiagnosis.describe(error, handler: nil),
                    advice: FailureDiagnosis.advice(for: error)))
            }
            collectEvents()
        case .invalid:
            break
        }
        let changes = try recorder.changes(limit: limit)
        return MigrationPreview(
            id: migration.id, description: migration.description, reverting: reverting,
            events: events, changes: changes.shown, rejections: rejections,
            eventCount: eventCount, changeCount: changes.total, rejectionCount: rejectionCount,
            rows: rows, eventTypes: eventTypes, tables: changes.byTable, notIdempotent: notIdempotent)
    }
}
