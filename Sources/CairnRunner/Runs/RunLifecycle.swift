import CairnStore
import Foundation
import Logging

/// The one lifecycle every kind of run goes through — migrate, dry-run, revert,
/// rebuild, unlock, and the kinds to come.
///
/// `holdingLock` settles dead work and, for kinds that change the store, takes the
/// migration lock and gives it up on every path. `recording` records the run
/// (attaching it to the lock in the same transaction), notes a takeover and what
/// the recovery settled, runs the body, and ends the run by its outcome:
/// `succeeded` (or what the body chose), `failed` with the error in the log,
/// `canceled` with the hint that fits the kind. Errors that are not Cairn's own
/// (an SQLite error such as a full disk) end the run as failed too, translated
/// into a `StoreError` that says what to do.
struct RunLifecycle {
    /// What was settled before a run starts: the lock it holds (when its kind holds
    /// one), a stale lock it took over, and the dead work recovered, in words.
    struct RunStart {
        let lock: DatabaseLock?
        let takeover: (LockInfo, String)?
        let recovered: [String]
        /// Disk space set aside for the bookkeeping that ends the run.
        var reserve: (any SpaceReserve)?

        /// The same start without what its first run already logged (a follow-up rebuild's).
        var forNextRun: RunStart { RunStart(lock: lock, takeover: nil, recovered: [], reserve: reserve) }
    }

    let runner: MigrationRunner
    let kind: RunKind
    let options: MigrateOptions
    let logger: Logger
    /// The command that finishes the work after a cancel, e.g. "cairn revert --to X";
    /// asked for when the run is canceled, so it can say what is left then.
    let resume: () -> String

    init(runner: MigrationRunner, kind: RunKind, options: MigrateOptions, logger: Logger, resume: String) {
        self.init(runner: runner, kind: kind, options: options, logger: logger, resume: { resume })
    }

    init(runner: MigrationRunner, kind: RunKind, options: MigrateOptions, logger: Logger, resume: @escaping () -> String) {
        self.runner = runner
        self.kind = kind
        self.options = options
        self.logger = logger
        let allowDrift = options.allowDrift
        self.resume = { resume() + (allowDrift ? " --allow-drift" : "") }
    }

    /// Settles dead work and takes the lock (for kinds that hold it) around `body`,
    /// giving the lock up on every path. A follow-up rebuild does not come here: it
    /// records its run under the `RunStart` of the migrate run before it.
    func holdingLock<T>(_ holder: String, _ body: (RunStart) throws -> T) throws -> T {
        let reserve = try runner.store.reserveSpaceForBookkeeping()
        defer { reserve?.release() }
        guard kind.holdsLock else {
            let recovered = try runner.recoverDeadWork(staleAfter: options.staleAfter)
            return try body(RunStart(lock: nil, takeover: nil, recovered: recovered, reserve: reserve))
        }
        var takeover: (LockInfo, String)?
        var recovered: [String] = []
        var waited = false
        let lock: DatabaseLock
        do {
            lock = try DatabaseLock.acquire(
                store: runner.store, holder: "\(holder) (\(options.trigger.rawValue))", identity: runner.identity,
                timeout: options.lockTimeout, staleAfter: options.staleAfter, heartbeatInterval: options.heartbeatInterval,
                isCanceled: { options.cancellation?.isCancelled == true }
            ) { event in
                switch event {
                case .waiting(let holder):
                    waited = true
                    logger.info("waiting up to \(String(format: "%g", options.lockTimeout)) s for the migration lock, held by \(holder)")
                case .stillWaiting(let holder, let waited):
                    options.lockWait?(holder, waited)
                case .tookOver(let holder, let reason):
                    takeover = (holder, reason)
                case .recovered(let notes):
                    recovered = notes
                }
            }
        } catch {
            throw runner.store.explain(error, operation: "taking the migration lock")
        }
        defer { lock.release() }
        if waited { logger.info("got the migration lock") }
        return try body(RunStart(lock: lock, takeover: takeover, recovered: recovered, reserve: reserve))
    }

    /// Records a run of this kind around `body` and ends it by its outcome.
    func recording<T>(_ start: RunStart, extra: [String: JSONValue] = [:], _ body: (RunScope) throws -> T) throws -> T {
        var recorded = options.recorded.mapValues(JSONValue.string)
        recorded["environment"] = .string(runner.environmentName)
        recorded.merge(extra) { _, new in new }
        let id: Int64
        do {
            id = try runner.store.writeLedger { ledger in
                let id = try ledger.insertRun(
                    kind: kind, trigger: options.trigger, options: JSONValue.object(recorded).jsonText, identity: runner.identity)
                try start.lock?.attach(run: id, in: ledger)
                return id
            }
        } catch {
            throw runner.store.explain(error, operation: "recording the start of a \(kind.rawValue) run")
        }
        let recorder = RunRecorder(id: id, kind: kind, store: runner.store, logger: logger, reserve: start.reserve)
        if let (holder, reason) = start.takeover {
            recorder.log(.warning, "took over a stale migration lock from \(holder): \(reason)")
        }
        for note in start.recovered {
            recorder.log(.warning, "recovered: \(note)")
        }
        let scope = RunScope(recorder: recorder, lock: start.lock, runner: runner, options: options)
        do {
            let result = try body(scope)
            recorder.finish(scope.endStatus, error: scope.endError)
            return result
        } catch let error as RunnerError {
            throw end(recorder, error, start)
        } catch let error as MigrationFailure {
            throw end(recorder, .migrationFailed(error, run: id), start)
        } catch {
            let explained = runner.store.explain(error, operation: "a \(kind.rawValue) run")
            fail(recorder, explained, start)
            throw explained
        }
    }

    /// Ends the run for a runner error and returns the error to throw, with the hint that fits the kind.
    /// A run that did not succeed is the last under its lock: the lock goes in the
    /// transaction that ends the run.
    private func end(_ recorder: RunRecorder, _ error: RunnerError, _ start: RunStart) -> RunnerError {
        let release: (any LedgerWriting) throws -> Void = { ledger in try start.lock?.release(in: ledger) }
        switch error {
        case .canceled(let reason, _, _):
            let canceled = RunnerError.canceled(reason: reason, kind: kind, resume: resume())
            var lines: [(LogLevel, String)] = [(.warning, "⏹ \(canceled.summary)")]
            if let remedy = canceled.remedy { lines.append((.warning, "  next: \(remedy)")) }
            recorder.finish(.canceled, error: canceled.summary, lines: lines, also: release)
            return canceled
        case .lockLost:
            let lost = RunnerError.lockLost(resume: resume())
            fail(recorder, lost, start)
            return lost
        case .migrationFailed, .blocked, .validationFailed:
            // The body logged its lines on the way.
            recorder.finish(.failed, error: error.summary, also: release)
            return error
        default:
            fail(recorder, error, start)
            return error
        }
    }

    /// Logs an error that the body did not log and ends the run as failed.
    private func fail(_ recorder: RunRecorder, _ error: any Error, _ start: RunStart) {
        let explained = error as? any ExplainedError
        let text = explained?.summary ?? "\(error)"
        var lines: [(LogLevel, String)] = [(.error, "✗ \(kind.rawValue) failed: \(text)")]
        if let remedy = explained?.remedy { lines.append((.error, "  next: \(remedy)")) }
        recorder.finish(.failed, error: text, lines: lines, also: { ledger in try start.lock?.release(in: ledger) })
    }
}
