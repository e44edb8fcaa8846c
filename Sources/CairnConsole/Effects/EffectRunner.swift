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

    private let lock = NSLock()
    private var runner: MigrationRunner
    private let factory: RunnerFactory?
    private let post: @Sendable (Action) -> Void
    private let reads = DispatchQueue(label: "cairn.console.reads")
    /// Log loads have their own queue: a long log never holds up the status.
    private let logs = DispatchQueue(label: "cairn.console.logs")
    private let work = DispatchQueue(label: "cairn.console.work")
    private var refreshing = false
    private var loadingLog = false
    private var waitingLog: Effect?
    private var cancellation: CancellationFlag?
    private let logger = Logger(label: "cairn.console") { _ in SwiftLogNoOpLogHandler() }

    /// An effect runner over `runner`; `factory` opens other environments; `post` receives results.
    public init(runner: MigrationRunner, factory: RunnerFactory?, post: @escaping @Sendable (Action) -> Void) {
        self.runner = runner
        self.factory = factory
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
                    post(.loaded(try Snapshot.load(current)))
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
                    let history = current.history
                    guard let record = try runId.map({ try history.run($0) }) ?? history.latestRun() else { return }
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
            reads.async { [self] in
                let text: String
                do {
                    text = try current.candidateCount(id).map(String.init) ?? "—"
                } catch {
                    text = "? (\(EffectRunner.describe(error)))"
                }
                post(.candidatesCounted(id: id, text: text))
            }
        case .loadEvents(let id):
            reads.async { [self] in
                let lines = (try? current.eventsWritten(by: id, limit: 50))?.map { event in
                    "+ \(event.type)  \(event.streamId) v\(event.version) (tenant \(event.tenantId))"
                } ?? []
                post(.eventsLoaded(id: id, lines: lines))
            }
        case .preview(let id):
            work.async { [self] in
                do {
                    var options = MigrateOptions()
                    options.trigger = .console
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

    /// Does a writing action; returns what happened, in words.
    private func perform(_ action: WriteAction, flag: CancellationFlag) throws -> String {
        let runner = current
        var options = MigrateOptions()
        options.trigger = .console
        options.cancellation = flag
        options.lockTimeout = 10
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
        case .rebuild(let names):
            let summary = try runner.rebuild(names, options: options, logger: logger) { [post] done, total in
                post(.jobProgress("replayed \(done)/\(total) events"))
            }
            return "rebuilt \(summary.projections.joined(separator: ", ")) from \(summary.events) events"
        case .breakLock(let force):
            guard let broken = try runner.unlock(force: force, logger: logger) else { return "it was not locked" }
            return "broke the lock of \(broken.info.holder)"
        }
    }

    /// An error as the console shows it: summary and remedy.
    static func describe(_ error: any Error) -> String {
        if let explained = error as? any ExplainedError {
            return explained.summary + (explained.remedy.map { "\n\($0)" } ?? "")
        }
        return "\(error)"
    }

    /// A dry-run's preview as the console shows it.
    static func model(_ preview: MigrationPreview, runId: Int64) -> PreviewModel {
        var events = preview.events.map { "+ \($0.type)  \($0.streamId) v\($0.version) (tenant \($0.tenantId))" }
        if preview.eventCount > events.count { events.append("… and \(preview.eventCount - events.count) more events") }
        var changes: [(glyph: String, text: String)] = []
        for change in preview.changes {
            switch change.kind {
            case .insert:
                changes.append(("+", "\(change.table) \(change.keyText) (new row)"))
            case .delete:
                changes.append(("-", "\(change.table) \(change.keyText) (row removed)"))
            case .update:
                let fields = change.orderedFields.map { name, field in
                    "\(name) \(text(field.old)) → \(text(field.new))"
                }
                changes.append(("~", "\(change.table) \(change.keyText)  \(fields.joined(separator: "; "))"))
            }
        }
        if preview.changeCount > changes.count { changes.append(("…", "and \(preview.changeCount - changes.count) more rows")) }
        var rejections = preview.rejections.map { "row \($0.row): \($0.error)" + ($0.advice.map { " — \($0)" } ?? "") }
        if preview.rejectionCount > rejections.count { rejections.append("… and \(preview.rejectionCount - rejections.count) more rejected rows") }
        return PreviewModel(
            runId: runId, events: events, changes: changes, rejections: rejections, idempotent: preview.idempotent,
            note: preview.notIdempotent)
    }

    private static func text(_ value: JSONValue?) -> String {
        guard let value else { return "∅" }
        if case .string(let string) = value { return string }
        return value.jsonText
    }
}
