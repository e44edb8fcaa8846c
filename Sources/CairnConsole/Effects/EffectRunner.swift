import CairnText
import CairnRunner
import CairnStore
import Foundation
import Logging

/// Does the reducer's effects off the UI thread and posts their results back as actions.
///
/// Reads (status, runs, counts) go on one queue, log loads on a second, and
/// writing work (dry-runs, runs, skips, rebuilds) on a third, so the screen keeps
/// refreshing while a run goes on and a long log loads. Nothing here touches the terminal.
public final class EffectRunner: @unchecked Sendable {
    /// Opens a runner for an environment of `cairn.toml` (by name).
    public typealias RunnerFactory = @Sendable (String) throws -> MigrationRunner
    /// Reads `cairn.toml` again and lists its environments (ctrl-r).
    public typealias EnvironmentsLoader = @Sendable () throws -> [ConsoleState.EnvironmentItem]
    /// How many events, row changes and rejections a console preview keeps to show (the rest are counted).
    public static let previewLimit = 20_000

    private let lock = NSLock()
    private var runner: MigrationRunner
    private let factory: RunnerFactory?
    private let environments: EnvironmentsLoader?
    private let post: @Sendable (Action) -> Void
    private let reads = DispatchQueue(label: "cairn.console.reads")
    /// Log loads have their own queue: a long log never holds up the status.
    private let logs = DispatchQueue(label: "cairn.console.logs")
    private let work = DispatchQueue(label: "cairn.console.work")
    /// Details of the selection (candidate counts, written events, a run's migrations) have a
    /// queue of their own: a slow candidate query never holds up the status, ctrl-r or a switch.
    private let details = DispatchQueue(label: "cairn.console.details")
    /// Breaking a lock a running job waits for.
    private let urgent = DispatchQueue(label: "cairn.console.urgent")
    private var refreshing = false
    /// What the last snapshot was read from: the store's change token, the seed files, when,
    /// and how soon time alone changes what it shows.
    private var lastRead: (token: StoreChangeToken, seeds: [String], at: Date, runner: ObjectIdentifier, ages: TimeInterval)?
    /// How often a snapshot is read again when nothing changed: at every tick while a lock is
    /// held, every few seconds while a skip runs out at a time, seldom otherwise.
    static func fullReadInterval(_ snapshot: Snapshot) -> TimeInterval {
        // A held lock turns stale with time (its holder gone, its heartbeat old): read every tick.
        snapshot.lock != nil ? 0 : snapshot.migrations.contains(where: { $0.skipUntil != nil }) ? 5 : 60
    }
    private var loadingLog = false
    private var waitingLog: Effect?
    /// The last log request answered and the store's change token then: the same request
    /// against an unchanged store has the same answer, so it is not read again.
    private var lastLog: (effect: Effect, token: StoreChangeToken, runner: ObjectIdentifier)?
    private var cancellation: CancellationFlag?
    private let logger = Logger(label: "cairn.console") { _ in SwiftLogNoOpLogHandler() }

    /// An effect runner over `runner`; `factory` opens other environments; `post` receives results.
    public init(runner: MigrationRunner, factory: RunnerFactory?, environments: EnvironmentsLoader? = nil,
                post: @escaping @Sendable (Action) -> Void) {
        self.runner = runner
        self.factory = factory
        self.environments = environments
        self.post = post
    }

    private var current: MigrationRunner { lock.withLock { runner } }

    /// Starts an effect.
    public func run(_ effect: Effect) {
        switch effect {
        case .refresh:
            guard lock.withLock({ refreshing ? false : { refreshing = true; return true }() }) else { return }
            reads.async { [self] in
                defer { lock.withLock { refreshing = false } }
                do {
                    // Idle means idle: when neither the store nor the seed files changed, the
                    // status is not computed again (a tick costs a read of the change token
                    // and a listing of the seeds folder), except every few seconds.
                    let runner = current
                    let token = try runner.store.changeToken()
                    let seeds = EffectRunner.seedsSignature(runner.seedsDirectory)
                    let id = ObjectIdentifier(runner)
                    let unchanged = lock.withLock { () -> Bool in
                        guard let last = lastRead else { return false }
                        return last.token == token && last.seeds == seeds && last.runner == id
                            && Date().timeIntervalSince(last.at) < last.ages
                    }
                    if unchanged { return }
                    let snapshot = try Snapshot.load(runner)
                    lock.withLock { lastRead = (token, seeds, Date(), id, EffectRunner.fullReadInterval(snapshot)) }
                    post(.loaded(snapshot))
                } catch {
                    post(.loadFailed(EffectRunner.describe(error)))
                }
            }
        case .loadLog(let runId, let shown, let after):
            // One log load at a time; a request made meanwhile replaces any waiting one.
            let start = lock.withLock { () -> Bool in
                if loadingLog {
                    waitingLog = effect
                    return false
                }
                loadingLog = true
                return true
            }
            guard start else { return }
            logs.async { [self] in
                defer {
                    let next = lock.withLock { () -> Effect? in
                        loadingLog = false
                        defer { waitingLog = nil }
                        return waitingLog
                    }
                    if let next { run(next) }
                }
                do {
                    let runner = current
                    let token = try runner.store.changeToken()
                    // Only a poll for lines after those shown is skipped: a request from the start
                    // (a reset log) is always answered.
                    let repeated = lock.withLock { () -> Bool in
                        guard after > 0, let last = lastLog else { return false }
                        return last.effect == effect && last.token == token && last.runner == ObjectIdentifier(runner)
                    }
                    if repeated { return }
                    defer { lock.withLock { lastLog = (effect, token, ObjectIdentifier(runner)) } }
                    let history = runner.history
                    // With no run chosen, the newest run that is not a preview: a dry-run must not
                    // push a failed boot out of the log.
                    let newest = { () throws -> RunRecord? in
                        let recent = try history.runs(limit: 100)
                        return recent.first { $0.kind != .dryRun } ?? recent.first
                    }
                    guard let record = try runId.map({ try history.run($0) }) ?? newest() else {
                        if let runId { post(.logMissing(runId)) }
                        return
                    }
                    let from = record.id == shown ? after : 0
                    // Page through the whole rest of the log, so the view and its end are the run's own.
                    let pageSize = 10_000
                    var fetched: [LogLine] = []
                    while true {
                        let page = try history.lines(run: record.id, after: fetched.last?.id ?? from, limit: pageSize)
                        fetched += page
                        if page.count < pageSize { break }
                    }
                    let lines = fetched.flatMap { line in
                        LogState.Line.lines(id: line.id, time: String(line.at.dropFirst(11).prefix(8)), level: line.level.rawValue,
                                            message: line.message)
                    }
                    post(.logLoaded(runId: record.id, run: Snapshot.run(record), lines: lines, shown: shown, after: after))
                } catch {
                    post(.loadFailed(EffectRunner.describe(error)))
                }
            }
        case .countCandidates(let id):
            details.async { [self] in
                let text: String
                do {
                    text = try current.candidateCount(id).map(String.init) ?? "—"
                } catch {
                    text = "? (\(EffectRunner.describe(error)))"
                }
                post(.candidatesCounted(id: id, text: text))
            }
        case .loadEvents(let id, let after):
            details.async { [self] in
                let runner = current
                let stored = (try? runner.eventsWritten(by: id, after: after, limit: EventsPage.pageSize)) ?? []
                let total = (try? runner.eventCount(writtenBy: id)) ?? stored.count
                let events = stored.map { event in
                    PreviewModel.Event(type: event.type, streamType: event.streamType, streamId: event.streamId,
                                       version: event.version, tenant: event.tenantId, payload: event.payload)
                }
                post(.eventsLoaded(id: id, events: events, lastPosition: stored.last?.position ?? after, total: total, append: after > 0))
            }
        case .loadRunMigrations(let runId):
            details.async { [self] in
                let items = ((try? current.history.migrations(run: runId)) ?? []).map {
                    Snapshot.RunMigration(id: $0.id, status: $0.status, events: $0.events)
                }
                post(.runMigrationsLoaded(runId: runId, items: items))
            }
        case .reloadConfig(let name):
            guard let environments else { return }
            reads.async { [self] in
                do {
                    let list = try environments()
                    if let name, let factory {
                        let opened = try factory(name)
                        lock.withLock { runner = opened }
                    }
                    post(.configReloaded(.success(list)))
                } catch {
                    post(.configReloaded(.failure(ConsoleFailure(EffectRunner.describe(error)))))
                }
            }
        case .copy, .setTheme:
            // Front-end work: the terminal layer does it (`ConsoleController.frontEnd`).
            break
        case .previewAll(let ids):
            work.async { [self] in
                var options = MigrateOptions()
                options.trigger = .console
                options.previewLimit = EffectRunner.previewLimit
                do {
                    let report = try current.dryRun([], options: options, logger: logger)
                    var before: [String] = []
                    for preview in report.migrations {
                        post(.previewLoaded(id: preview.id, result: .success(EffectRunner.model(preview, runId: report.runId, after: before))))
                        before.append(preview.id)
                    }
                    for id in ids where !before.contains(id) {
                        post(.previewLoaded(id: id, result: .failure(ConsoleFailure("not previewed: it is no longer pending"))))
                    }
                } catch {
                    for id in ids {
                        post(.previewLoaded(id: id, result: .failure(ConsoleFailure(EffectRunner.describe(error)))))
                    }
                }
            }
        case .preview(let id):
            work.async { [self] in
                do {
                    var options = MigrateOptions()
                    options.trigger = .console
                    options.previewLimit = EffectRunner.previewLimit
                    let report = try current.dryRun([id], options: options, logger: logger)
                    guard let preview = report.migrations.first else {
                        post(.previewLoaded(id: id, result: .failure(ConsoleFailure("nothing to preview"))))
                        return
                    }
                    post(.previewLoaded(id: id, result: .success(EffectRunner.model(preview, runId: report.runId))))
                } catch {
                    post(.previewLoaded(id: id, result: .failure(ConsoleFailure(EffectRunner.describe(error)))))
                }
            }
        case .write(let action):
            let flag = CancellationFlag()
            lock.withLock { cancellation = flag }
            work.async { [self] in
                let title = Reducer.jobTitle(action)
                do {
                    let text = try perform(action, flag: flag)
                    post(.jobFinished(title: title, result: .success(text)))
                } catch {
                    post(.jobFinished(title: title, result: .failure(ConsoleFailure(EffectRunner.describe(error)))))
                }
                lock.withLock { cancellation = nil }
            }
        case .cancelJob:
            lock.withLock { cancellation }?.cancel(reason: "canceled from the console")
        case .breakLockBeside(let force):
            // The work queue is busy with the job that waits for this lock: break it on a queue of its own.
            urgent.async { [self] in
                do {
                    let broken = try current.unlock(force: force, logger: logger)
                    post(.lockBroken(.success(broken.map { "broke the lock of \($0.info.holder)" } ?? "it was not locked")))
                } catch {
                    post(.lockBroken(.failure(ConsoleFailure(EffectRunner.describe(error)))))
                }
            }
        case .switchEnvironment(let name):
            guard let factory else {
                post(.environmentSwitched(name: name, result: .failure(ConsoleFailure("this console has no cairn.toml environments"))))
                return
            }
            reads.async { [self] in
                do {
                    let opened = try factory(name)
                    let snapshot = try Snapshot.load(opened)
                    lock.withLock { runner = opened }
                    post(.environmentSwitched(name: name, result: .success(snapshot)))
                } catch {
                    post(.environmentSwitched(name: name, result: .failure(ConsoleFailure(EffectRunner.describe(error)))))
                }
            }
        }
    }

    /// The seed files as name, size and modification time: changes when a seed is added, edited or removed.
    static func seedsSignature(_ directory: String) -> [String] {
        let manager = FileManager.default
        let names = ((try? manager.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        return names.map { name in
            let attributes = try? manager.attributesOfItem(atPath: (directory as NSString).appendingPathComponent(name))
            let size = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(name) \(size) \(modified)"
        }
    }

    /// Does a writing action; returns what happened, in words.
    private func perform(_ action: WriteAction, flag: CancellationFlag) throws -> String {
        let runner = current
        var options = MigrateOptions()
        options.trigger = .console
        options.cancellation = flag
        options.lockTimeout = 10
        let timeout = options.lockTimeout
        let shown = SecondsShown()
        options.lockWait = { [post] holder, waited in
            // Once a second: "waiting for the lock held by … (4 of 10 s)".
            guard shown.advance(to: Int(waited)) else { return }
            post(.jobProgress("waiting for the lock held by \(holder.holder) · pid \(holder.pid) on \(holder.host)"
                + " (\(Int(waited)) of \(Int(timeout)) s) · x breaks it"))
        }
        let progress: (MigrationProgress) -> Void = { [post] progress in
            post(.jobProgress("\(progress.migrationId) \(progress.rows)/\(progress.totalRows) rows, \(progress.events) events"))
        }
        switch action {
        case .runNext(let id):
            options.step = true
            options.target = id
            let outcome = try runner.migrate(options, logger: logger, progress: progress)
            return outcome.applied.isEmpty ? "nothing to do" : outcome.applied.map { "✓ \($0.id) (\($0.events) events)" }.joined(separator: ", ")
        case .runAll:
            let outcome = try runner.migrate(options, logger: logger, progress: progress)
            return "\(outcome.applied.count) applied, \(outcome.skipped.count) skipped"
        case .skip(let id, let reason):
            let override = try runner.skip(id, reason: reason)
            return "\(id) skipped by \(override.createdBy)"
        case .unskip(let id):
            try runner.unskip(id)
            return "\(id) will run again"
        case .repair(let id, let reason, let retire, let checksum):
            let outcome = try runner.repair(
                id, reason: reason, expecting: (retire ? .retired : .repaired, checksum), options: options, logger: logger)
            return outcome.action == .retired
                ? "⊘ \(id) retired by \(outcome.marker.repairedBy ?? "?"): it blocks nothing from now on"
                : "✓ \(id) repaired by \(outcome.marker.repairedBy ?? "?"): its edited file is approved"
        case .rebuild(let names):
            let summary = try runner.rebuild(names, options: options, logger: logger) { [post] done, total in
                post(.jobProgress("replayed \(done)/\(total) events"))
            }
            return "rebuilt \(summary.projections.joined(separator: ", ")) from \(summary.events) events"
        case .breakLock(let force):
            guard let broken = try runner.unlock(force: force, logger: logger) else { return "it was not locked" }
            return "broke the lock of \(broken.info.holder)"
        case .cancelJob:
            return "nothing to do"
        }
    }

    /// An error as the console shows it: summary and remedy.
    static func describe(_ error: any Error) -> String {
        if case RunnerError.lockTimeout(let holder, let waited)? = error as? RunnerError {
            // The console can break the lock itself: offer its key, not the command line's.
            return "the migration lock is held by \(holder.holder) — pid \(holder.pid) on \(holder.host)"
                + (holder.runId.map { ", run \($0)" } ?? "") + "; waited \(Int(waited)) s"
                + "\npress x to break it (its holder looks alive: that run stops at its next batch), or wait and press r again"
        }
        if let explained = error as? any ExplainedError {
            return explained.summary + (explained.remedy.map { "\n\($0)" } ?? "")
        }
        return "\(error)"
    }

    /// A dry-run's preview as the console shows it; `after` names the migrations previewed before it.
    static func model(_ preview: MigrationPreview, runId: Int64, after: [String] = []) -> PreviewModel {
        let events = preview.events.map { event in
            PreviewModel.Event(type: event.type, streamType: event.streamType, streamId: event.streamId, version: event.version,
                               tenant: event.tenantId, payload: TerminalSafe.visibleJSON(event.payload))
        }
        let changes = preview.changes.map { change in
            PreviewModel.Change(
                table: change.table, key: change.keyText,
                kind: change.kind == .insert ? .insert : change.kind == .delete ? .delete : .update,
                fields: change.orderedFields.map { name, field in
                    PreviewModel.Change.Field(name: name, old: field.old.map { text($0) }, new: field.new.map { text($0) })
                })
        }
        let rejections = preview.rejections.map { rejection in
            PreviewModel.Rejection(block: rejection.block, row: rejection.row, error: rejection.error, payload: TerminalSafe.visibleJSON(rejection.payload),
                                   advice: rejection.advice)
        }
        return PreviewModel(
            runId: runId, events: events, eventCount: preview.eventCount, changes: changes, changeCount: preview.changeCount,
            rejections: rejections, rejectionCount: preview.rejectionCount, idempotent: preview.idempotent,
            note: preview.notIdempotent, after: after)
    }

    private static func text(_ value: JSONValue?) -> String {
        guard let value else { return "∅" }
        // Quoted, with invisible characters written out: a whitespace fix must show.
        return RowChange.display(value)
    }
}
