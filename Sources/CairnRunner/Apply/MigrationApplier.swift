import CairnStore
import Foundation

/// Applies one migration — or, reverting, its `@down` blocks: the blocks in
/// order, each in batches of candidate rows.
///
/// Each batch — its events, the projection updates, the attempt's progress and
/// a lock heartbeat — is one transaction; the marker is written (or, reverting,
/// removed) in the transaction of the last batch, so a migration is never
/// half-marked. With `atomic: true` (and for Swift migrations) the whole
/// migration is one transaction. A candidate row that comes back after being
/// written, or that the query returns twice in one batch, stops the migration as
/// not idempotent instead of looping or writing it twice. Between batches it
/// honours the cancellation flag.
final class MigrationApplier {
    /// Which way a migration goes.
    enum Direction: String {
        case up, down
    }

    let store: any RunnerStore
    let lock: DatabaseLock
    let recorder: RunRecorder
    let gate: any CandidateGate
    let options: MigrateOptions
    let identity: ProcessIdentity
    let progress: (MigrationProgress) -> Void

    /// An applier for the run of `scope`, which must hold the lock.
    init(scope: RunScope, identity: ProcessIdentity, progress: @escaping (MigrationProgress) -> Void) throws {
        guard let lock = scope.lock else {
            preconditionFailure("a \(scope.recorder.kind.rawValue) run applies migrations only while holding the lock")
        }
        self.store = scope.runner.store
        self.lock = lock
        self.recorder = scope.recorder
        self.gate = try store.makeCandidateGate()
        self.options = scope.options
        self.identity = identity
        self.progress = progress
    }

    /// Applies (or reverts) one migration and logs the outcome; on failure or
    /// cancellation closes the attempt and logs what happened before rethrowing,
    /// for the run lifecycle to end the run.
    func applyLogged(_ migration: Migration, queries: [Int: CandidateQuery], direction: Direction) throws -> AppliedMigration {
        do {
            let result = try apply(migration, queries: queries, direction: direction)
            let verb = direction == .up ? "✓" : "↶ reverted"
            recorder.log(
                .info,
                "\(verb) \(migration.id) (\(result.durationMilliseconds) ms, \(result.events) event\(result.events == 1 ? "" : "s")"
                    + (result.totalEvents != result.events ? " in this run, \(result.totalEvents) over all its runs)" : ")")
                    + " — \(migration.description)",
                migration: migration.id)
            return result
        } catch let failure as MigrationFailure {
            // The attempt keeps the fix with the error, so status and the console show both.
            recordFailure(migration, error: failure.summary + (failure.advice.map { "\n  fix: \($0)" } ?? ""))
            var lines = ["✗ \(failure.summary)"]
            if let advice = failure.advice { lines.append("  fix: \(advice)") }
            lines.append("stopped at \(migration.id); later migrations did not run")
            for line in lines { recorder.log(.error, line, migration: migration.id) }
            throw RunnerError.migrationFailed(failure, run: recorder.id)
        } catch let error as RunnerError {
            if case .canceled = error {
                recordFailure(migration, error: error.summary, status: .canceled)
                recorder.log(.warning, "⏹ \(migration.id): stopped between batches", migration: migration.id)
            } else {
                recordFailure(migration, error: error.summary)
                recorder.log(.error, "✗ \(migration.id): \(error.summary)", migration: migration.id)
            }
            throw error
        } catch {
            // An error of the store itself (a full disk): the run's end says what it was and what to do.
            let text = (error as? any ExplainedError)?.summary ?? "\(error)"
            recordFailure(migration, error: text)
            recorder.log(
                .error, "✗ \(migration.id) stopped by an error of the store; committed batches stay, no marker was written",
                migration: migration.id)
            throw error
        }
    }

    /// The state of one migration's application, carried across batches.
    private struct Work {
        let migration: Migration
        let direction: Direction
        let started = Date()
        var events = 0
        /// The migration's events over all its runs, known once its marker is written.
        var totalEvents: Int?
        var rows = 0

        var elapsedMilliseconds: Int { Int((Date().timeIntervalSince(started) * 1000).rounded()) }
    }

    /// Applies `migration` (or its `@down` blocks), whose candidate queries the validator accepted.
    ///
    /// - Throws: `MigrationFailure` with the block, row and payload at fault;
    ///   `RunnerError.lockLost` or `.canceled`.
    func apply(_ migration: Migration, queries: [Int: CandidateQuery], direction: Direction = .up) throws -> AppliedMigration {
        try store.writeLedger { ledger in try ledger.startAttempt(run: recorder.id, migration: migration.id) }
        var work = Work(migration: migration, direction: direction)
        switch migration.source {
        case .seed(let seed):
            let blocks = direction == .up ? seed.blocks : (seed.downBlocks ?? [])
            try runBlocks(blocks, queries: queries, header: seed.header, work: &work)
        case .swift(let swift):
            try checkCancellation()
            try store.write { transaction in
                try lock.refresh(in: transaction.ledger)
                transaction.tags = tags(for: migration)
                let context = MigrationContext(
                    migrationId: migration.id, runId: recorder.id, transaction: transaction, gate: gate,
                    queryTimeout: options.queryTimeout)
                do {
                    try swift.run(context)
                } catch let error as RunnerError {
                    throw error
                } catch let error as MigrationFailure {
                    throw error
                } catch {
                    throw FailureDiagnosis.failure(error, migration: migration.id, block: nil, handler: nil, row: nil, payload: nil, streamTenant: nil)
                }
                work.events = context.eventsWritten
                try recordProgress(transaction.ledger, migration: migration.id, rows: 0, events: work.events)
                try finishMarker(transaction.ledger, work: &work)
            }
        case .invalid(let errors):
            throw MigrationFailure(migrationId: migration.id, error: errors.map(\.description).joined(separator: "; "))
        }
        return AppliedMigration(
            id: migration.id, description: migration.description, durationMilliseconds: work.elapsedMilliseconds,
            events: work.events, totalEvents: work.totalEvents ?? work.events, rows: work.rows)
    }

    /// The one batch loop: every block in order, each in batches until its candidate query
    /// returns nothing. Each batch is its own transaction, or with `atomic: true` all of
    /// them share one (and the throttle does not pause inside it).
    private func runBlocks(_ blocks: [SeedBlock], queries: [Int: CandidateQuery], header: SeedHeader, work: inout Work) throws {
        var yield = WriterYield(store: store)
        try inOneTransaction(if: header.atomic) { shared in
            for (index, block) in blocks.enumerated() {
                var blockState = BlockState()
                let query = try Self.query(for: block, in: queries, migration: work.migration.id)
                var finished = false
                while !finished {
                    try checkCancellation()
                    finished = try inBatchTransaction(shared) { transaction in
                        try runBatch(
                            transaction, block: block, query: query, batch: header.batch,
                            isLast: index == blocks.count - 1, blocks: blocks.count, state: &blockState, work: &work)
                    }
                    if !finished && shared == nil {
                        if options.throttle > 0 { CancellationFlag.pause(options.throttle, unless: options.cancellation) }
                        yield.afterCommit()
                    }
                }
            }
        }
    }

    /// Runs `body` inside one store transaction when `atomic`, else with none (each batch opens its own).
    private func inOneTransaction(if atomic: Bool, _ body: (StoreTransaction?) throws -> Void) throws {
        if atomic {
            try store.write { transaction in try body(transaction) }
        } else {
            try body(nil)
        }
    }

    /// Runs one batch in the shared transaction, or in a transaction of its own.
    private func inBatchTransaction<T>(_ shared: StoreTransaction?, _ body: (StoreTransaction) throws -> T) throws -> T {
        if let shared { return try body(shared) }
        return try store.write(body)
    }

    /// The validated candidate query of `block`, or a failure when validation did not hand one over.
    private static func query(for block: SeedBlock, in queries: [Int: CandidateQuery], migration: String) throws -> CandidateQuery {
        guard let query = queries[block.index] else {
            throw MigrationFailure(
                migrationId: migration, block: block.index, handler: block.handler.description,
                error: "block \(block.index) has no validated candidate query",
                advice: "this is a bug in Cairn: report it with the seed file; nothing of this block was written")
        }
        return query
    }

    private func checkCancellation() throws {
        if let flag = options.cancellation, flag.isCancelled {
            throw RunnerError.canceled(reason: flag.reason)
        }
    }

    /// The most candidate rows whose digests a block makes room for before its first batch (2 MiB of
    /// digests; past it the set grows as before).
    private static let digestsReservedAtMost = 1 << 17

    /// The progress of one block, carried across its batches.
    private struct BlockState {
        /// Candidate rows when the block started; an idempotent query never returns more in total.
        var initialCount: Int?
        var processed = 0
        var events = 0
        /// Digests of the block's candidate rows written in its committed batches, to spot rows that
        /// come back. A block's own: another block's row with the same payload is another command.
        var written = Set<RowDigest>()
    }

    /// Runs one batch of `block` in `transaction`; returns true when the block has no candidates left.
    private func runBatch(
        _ transaction: StoreTransaction, block: SeedBlock, query: CandidateQuery, batch: Int, isLast: Bool, blocks: Int,
        state: inout BlockState, work: inout Work
    ) throws -> Bool {
        let migration = work.migration
        let ledger = transaction.ledger
        try lock.refresh(in: ledger)
        transaction.tags = tags(for: migration)
        let timeout = options.queryTimeout
        func fail(_ error: any Error, row: Int? = nil, payload: String? = nil, streamTenant: String? = nil) -> MigrationFailure {
            FailureDiagnosis.failure(
                error, migration: migration.id, block: block.index, handler: block.handler.description, row: row,
                payload: payload, streamTenant: streamTenant)
        }
        do {
            let firstBatch = state.initialCount == nil
            // Counts taken inside this batch's own transaction see no one else's writes, so
            // candidates that appear between them were made by this batch. They are taken in
            // the first batch (a query whose writes make new candidates stops before anything
            // commits) and again whenever the block has processed as many rows as it expected
            // (the application may have added candidates since, which is no fault of the seed).
            var before: Int?
            if firstBatch || state.processed >= (state.initialCount ?? 0) {
                before = try store.countCandidates(query, in: transaction, timeout: timeout)
                if firstBatch, let before {
                    state.initialCount = before
                    // Room for the block's digests at once: growing a set of 100,000 rehashes it a dozen times.
                    state.written.reserveCapacity(min(before, Self.digestsReservedAtMost))
                }
            }
            let rows = try store.candidates(query, limit: batch, in: transaction, timeout: timeout)
            var batchEvents = 0
            // This batch's digests: a row the query returns twice in one batch (a join that repeats
            // rows) is the same command twice, and is stopped as a row that comes back is.
            var batchDigests = Set<RowDigest>(minimumCapacity: min(batch, Self.digestsReservedAtMost))
            for (offset, row) in rows.enumerated() {
                let number = state.processed + offset + 1
                let text = try FailureDiagnosis.payloadText(row, migration: migration.id, block: block, number: number)
                let digest = RowDigest(payload: text, streamTenant: row.streamTenant)
                if state.written.contains(digest) {
                    throw FailureDiagnosis.notIdempotent(migration.id, block: block, row: number, payload: text,
                        why: "this row was written earlier in this run and the candidate query returned it again")
                }
                guard batchDigests.insert(digest).inserted else {
                    throw FailureDiagnosis.notIdempotent(migration.id, block: block, row: number, payload: text,
                        why: "the candidate query returned this row twice in one batch (a join that repeats rows?)")
                }
                let payload: Payload
                do {
                    payload = try Payload(parsing: text)
                } catch {
                    throw fail(error, row: number, payload: text, streamTenant: row.streamTenant)
                }
                do {
                    let command = Command(block.handler, payload: payload, actor: .system, streamTenant: row.streamTenant)
                    batchEvents += try transaction.dispatchCounting(command)
                } catch {
                    throw fail(error, row: number, payload: text, streamTenant: row.streamTenant)
                }
            }
            // Is anything left? When this fetch saw every remaining candidate (it
            // returned fewer rows than asked, or as many as the count taken in this
            // same transaction), a candidate that shows up now was made by these writes.
            // After a full batch with no count taken, nothing here needs the answer: the
            // next batch's fetch gives it, and one candidate query a batch is saved (when
            // that batch took the last rows, an empty batch after it writes the marker).
            let sawAll = rows.count < batch || (before.map { rows.count >= $0 } ?? false)
            let askedLeftover = sawAll || before != nil
            let leftover = askedLeftover ? try store.candidates(query, limit: 1, in: transaction, timeout: timeout).first : nil
            if let leftover, sawAll {
                let text = leftover.payloadDescription
                throw FailureDiagnosis.notIdempotent(migration.id, block: block, row: state.processed + rows.count + 1,
                    payload: text, why: "after writing every candidate row, the candidate query still returns rows")
            }
            if let leftover, let before {
                let after = try store.countCandidates(query, in: transaction, timeout: timeout)
                if after > before - rows.count {
                    throw FailureDiagnosis.notIdempotent(migration.id, block: block, row: state.processed + rows.count,
                        payload: leftover.payloadDescription,
                        why: "the candidate query returned \(before) rows before this batch and \(after) after it wrote"
                            + " \(rows.count): each write makes new candidates (nothing of this batch was committed)")
                }
                // What the block now expects to write in all, the application's new candidates included.
                state.initialCount = state.processed + rows.count + after
            }
            let finished = askedLeftover && leftover == nil
            state.processed += rows.count
            state.events += batchEvents
            work.rows += rows.count
            work.events += batchEvents
            state.written.formUnion(batchDigests)
            try recordProgress(ledger, migration: migration.id, rows: rows.count, events: batchEvents)
            if finished && isLast {
                try finishMarker(ledger, work: &work)
            }
            progress(MigrationProgress(
                migrationId: migration.id, block: block.index, blocks: blocks, rows: state.processed,
                totalRows: max(state.initialCount ?? 0, state.processed), events: state.events))
            return finished
        } catch let error as MigrationFailure {
            throw error
        } catch let error as RunnerError {
            throw error
        } catch {
            throw fail(error)
        }
    }

    private func tags(for migration: Migration) -> [String: JSONValue] {
        ["migrationId": .string(migration.id), "runId": .int(recorder.id)]
    }

    /// Adds a batch's rows and events to the attempt and the run, in the batch's transaction.
    private func recordProgress(_ ledger: any LedgerWriting, migration: String, rows: Int, events: Int) throws {
        try ledger.addProgress(run: recorder.id, migration: migration, rows: rows, events: events)
        try ledger.addToRun(recorder.id, events: events, migrations: 0)
    }

    /// Writes the marker (or, reverting, removes it), closes the attempt and counts the
    /// migration in the run; a migration that declares `rebuilds:` owes them from here on.
    ///
    /// The marker counts the events of every run that worked on the migration since it was
    /// last reverted (this run's batches are already in its attempt): a run that resumed
    /// after a crash does not hide the events of the runs before it.
    private func finishMarker(_ ledger: any LedgerWriting, work: inout Work) throws {
        let migration = work.migration
        switch work.direction {
        case .up:
            let total = try ledger.eventsWritten(applying: migration.id)
            work.totalEvents = total
            try ledger.insertMarker(Marker(
                migrationId: migration.id, checksum: migration.checksum, checksumVersion: Checksum.currentVersion,
                description: migration.description,
                appliedAt: Timestamp.now(), durationMilliseconds: work.elapsedMilliseconds, trigger: options.trigger,
                identity: identity, runId: recorder.id, eventsWritten: total, allowDrift: options.allowDrift))
            if !migration.rebuilds.isEmpty {
                try ledger.oweRebuilds(migration.rebuilds, migration: migration.id, run: recorder.id)
            }
        case .down:
            try ledger.deleteMarker(migration.id)
        }
        try ledger.finishAttempt(
            run: recorder.id, migration: migration.id, status: work.direction == .up ? .applied : .reverted, error: nil)
        try ledger.addToRun(recorder.id, events: 0, migrations: 1)
    }

    /// Records the end of an attempt that did not finish, after its transaction rolled back.
    func recordFailure(_ migration: Migration, error: String, status: AttemptStatus = .failed) {
        recorder.record("the end of the attempt at \(migration.id)") { ledger in
            try ledger.finishAttempt(run: recorder.id, migration: migration.id, status: status, error: error)
        }
    }
}

/// A 128-bit digest of a candidate row (payload and stream tenant), to spot a row that comes
/// back within one run.
///
/// Two SipHash values of the row under this process's random seed, told apart by a leading
/// byte: a run compares only digests it made itself, and Swift's `Hasher` takes no
/// allocation, where a SHA-256 context took one per row. A missing tenant digests as the
/// empty one, as before; each part's length separates the payload from the tenant.
struct RowDigest: Hashable {
    let high: UInt64
    let low: UInt64

    init(payload: String, streamTenant: String?) {
        var first = Hasher(), second = Hasher()
        first.combine(UInt8(1))
        second.combine(UInt8(2))
        func add(_ text: String) {
            var text = text
            text.withUTF8 { bytes in
                first.combine(bytes.count)
                second.combine(bytes.count)
                first.combine(bytes: UnsafeRawBufferPointer(bytes))
                second.combine(bytes: UnsafeRawBufferPointer(bytes))
            }
        }
        add(payload)
        add(streamTenant ?? "")
        high = UInt64(bitPattern: Int64(first.finalize()))
        low = UInt64(bitPattern: Int64(second.finalize()))
    }
}
