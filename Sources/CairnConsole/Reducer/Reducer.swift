import CairnStore

/// The console's logic: it changes the state for an action and says what work to
/// do off the UI thread. Pure: no database, no terminal, no clock.
public enum Reducer {
    /// Applies `action` to `state`; returns the effects to run.
    public static func reduce(_ state: inout ConsoleState, _ action: Action) -> [Effect] {
        switch action {
        case .key(let key):
            return handle(key, &state)
        default:
            return ResultReducer.reduce(action, &state)
        }
    }

    // MARK: keys

    static func handle(_ key: Key, _ state: inout ConsoleState) -> [Effect] {
        if key == .resize { return [] }
        // Behind "terminal too small" nothing can be seen, so no key acts on it (a dialog's enter
        // least of all); only quit works, outside a dialog.
        if Layout.of(state).tooSmall {
            guard state.modal == nil, state.input == nil,
                  Keymap.lookup([key], in: state.view, focus: state.focus) == .matched(.quit) else { return [] }
        }
        if case .mouse(let event) = key { return MouseReducer.reduce(event, &state) }
        if state.modal != nil { return ModalReducer.reduce(key, &state) }
        if let input = state.input {
            return input.purpose == .command ? CommandLineReducer.reduce(key, &state) : TextInputReducer.reduce(key, &state)
        }
        state.notice = nil
        state.pendingKeys.append(key)
        switch Keymap.lookup(state.pendingKeys, in: state.view, focus: state.focus) {
        case .prefix:
            return []
        case .none:
            state.pendingKeys = []
            return []
        case .matched(let command):
            state.pendingKeys = []
            return perform(command, &state)
        }
    }

    /// Why `command` cannot run now, or nil when it can.
    public static func disabledReason(_ command: ConsoleCommand, _ state: ConsoleState) -> String? {
        if command.writes, let reason = state.readonlyReason { return reason }
        // While the job waits for another process's lock, breaking that lock is what lets it run.
        if command.writes, let job = state.job, !(command == .breakLock && job.waitingForLock) {
            return "a job is running: press c to cancel it first"
        }
        guard let snapshot = state.snapshot else { return command.writes ? "loading" : nil }
        let migration = state.selectedMigration
        switch command {
        case .dryRun, .dryRunAll:
            if let reason = state.readonlyReason {
                return "preview is off (\(reason)): a dry-run records its run in the file; run `\(ToolName.current) dry-run` on a copy"
            }
            if command == .dryRunAll {
                if snapshot.blocked { return "blocked by drift or a missing file" }
                return snapshot.nextPending == nil ? "nothing pending" : nil
            }
            guard let migration else { return "no migration selected" }
            if migration.state == .missing || migration.state == .retired { return "its file is \(migration.state == .retired ? "retired" : "missing")" }
            if migration.state == .applied { return "already applied" }
            if case .loading = state.previews[migration.id] { return "a dry-run is running" }
            return nil
        case .runNext, .runAll:
            if snapshot.blocked { return "blocked by drift or a missing file" }
            return snapshot.nextPending == nil ? "nothing pending" : nil
        case .skip:
            guard let migration else { return "no migration selected" }
            if !migration.skippable { return "\(migration.id) is not skippable" }
            if migration.state == .applied || migration.state == .drift { return "already applied" }
            if migration.skipSource == "override" { return "already skipped" }
            return nil
        case .unskip:
            guard let migration else { return "no migration selected" }
            return migration.skipSource == "override" ? nil : "no skip override on \(migration.id)"
        case .repair:
            guard let migration else { return "no migration selected" }
            switch migration.state {
            case .drift, .missing: return nil
            case .retired: return "\(migration.id) is already retired"
            default: return "\(migration.id) is \(migration.state.rawValue): repair only ends a drift or a missing file"
            }
        case .rebuild:
            return snapshot.projections.isEmpty ? "no projections" : nil
        case .breakLock:
            if snapshot.lock?.ours == true { return "this console's own job holds the lock: press c to cancel the job" }
            return snapshot.lock == nil ? "not locked" : nil
        case .cancelRun:
            guard let job = state.job else { return "nothing is running" }
            return job.canceling ? "already canceling" : nil
        default:
            return nil
        }
    }

    static func perform(_ command: ConsoleCommand, _ state: inout ConsoleState) -> [Effect] {
        if let reason = disabledReason(command, state) {
            state.notice = .init(text: "\(label(command)): \(reason)", isError: true)
            return []
        }
        switch command {
        case .moveDown: return move(by: 1, &state)
        case .moveUp: return move(by: -1, &state)
        case .pageDown: return move(by: max(1, pageSize(state)), &state)
        case .pageUp: return move(by: -max(1, pageSize(state)), &state)
        case .top: return move(by: -1_000_000, &state)
        case .bottom: return move(by: 1_000_000, &state)
        case .nextPane:
            if state.focus == .list, state.detailHeader != nil {
                focusDetail(&state)
            } else {
                state.focus = .list
            }
            return []
        case .open:
            return open(&state)
        case .back:
            if state.focus == .detail {
                state.focus = .list
            } else if state.filters[state.view] != nil {
                state.filters[state.view] = nil
                clamp(&state)
            } else if state.view == .log || state.view != .migrations {
                state.view = .migrations
            }
            return []
        case .quit:
            if state.job != nil {
                state.notice = .init(text: "a job is running: press c to cancel it, then q", isError: true)
                return []
            }
            state.quit = true
            return []
        case .help:
            state.modal = .help(scroll: 0)
            return []
        case .filter:
            // A search starts empty; a filter shows the one in force, since the list follows it as it is typed.
            if state.view == .log {
                state.input = InputLine(purpose: .search, text: "")
            } else if state.focus == .detail {
                state.input = InputLine(purpose: .detailSearch, text: "")
            } else {
                state.input = InputLine(purpose: .filter, text: state.filters[state.view] ?? "")
            }
            return []
        case .nextMatch, .previousMatch:
            if state.view == .log {
                jumpToMatch(forward: command == .nextMatch, &state)
            } else {
                DetailReducer.jumpToMatch(forward: command == .nextMatch, &state)
            }
            return []
        case .growLog, .shrinkLog:
            let layout = Layout.of(state)
            let lines = min(layout.maximumStripLines, max(0, layout.stripLines + (command == .growLog ? 1 : -1)))
            state.stripAdjust = lines - layout.defaultStripLines
            clamp(&state)
            state.notice = .init(text: lines == 0 ? "log strip hidden: + shows it" : "log strip \(lines) line\(lines == 1 ? "" : "s")", isError: false)
            return []
        case .copy:
            guard let text = DetailReducer.copyText(state), !text.isEmpty else {
                state.notice = .init(text: "nothing to copy here", isError: true)
                return []
            }
            state.notice = .init(text: "copied \(text.count) character\(text.count == 1 ? "" : "s") to the clipboard (OSC 52)", isError: false)
            return [.copy(text)]
        case .commandLine:
            state.input = InputLine(purpose: .command, text: "")
            return []
        case .cycleRunKinds:
            switch state.runKinds {
            case nil: state.runKinds = Set(Snapshot.writingRunKinds)
            case Set(Snapshot.writingRunKinds)?: state.runKinds = ["dry-run"]
            default: state.runKinds = nil
            }
            state.selection[.runs] = 0
            state.listTop[.runs] = 0
            state.notice = .init(text: "runs shown: \(runKindsLabel(state.runKinds))", isError: false)
            return runSelectionEffects(state)
        case .cycleLogLevel:
            let label = state.log.cycleLevel()
            clampLog(&state)
            if state.log.follow { scrollLogToEnd(&state) }
            state.notice = .init(text: "log shows \(label)", isError: false)
            return []
        case .showMigrations: state.view = .migrations; state.focus = .list; return selectionEffects(state)
        case .showRuns: state.view = .runs; state.focus = .list; return runSelectionEffects(state)
        case .showProjections: state.view = .projections; state.focus = .list; return []
        case .showEnvironments: state.view = .environments; state.focus = .list; return []
        case .showLog:
            var runId: Int64?
            if state.view == .runs { runId = state.selectedRun?.id }
            if state.view == .migrations { runId = state.selectedMigration?.lastRun ?? state.selectedMigration?.appliedRun }
            return showLog(runId: runId, &state)
        case .toggleFollow:
            state.log.follow.toggle()
            if state.log.follow {
                scrollLogToEnd(&state)
                return [logEffect(state)]
            }
            return []
        case .toggleWrap:
            state.log.wrap.toggle()
            if state.log.follow { scrollLogToEnd(&state) }
            clampLog(&state)
            return []
        case .refresh:
            state.notice = .init(text: "reloaded", isError: false)
            return [.reloadConfig(current: state.environments.first(where: \.current)?.name), .refresh, logEffect(state)]
        case .dryRun:
            guard let migration = state.selectedMigration else { return [] }
            state.previews[migration.id] = .loading
            focusDetail(&state, cursorOnPreview: true)
            return [.preview(migration.id)]
        case .dryRunAll:
            let ids = state.snapshot?.migrations.filter(\.runnable).map(\.id) ?? []
            for id in ids { state.previews[id] = .loading }
            if let first = ids.first, let index = state.visibleMigrations.firstIndex(where: { $0.id == first }) {
                state.selection[.migrations] = index
                clamp(&state)
            }
            focusDetail(&state, cursorOnPreview: true)
            state.notice = .init(text: "previewing \(ids.count) pending migration\(ids.count == 1 ? "" : "s") in run order…", isError: false)
            return [.previewAll(ids)]
        case .runNext:
            guard let next = state.snapshot?.nextPending else { return [] }
            confirm(&state, title: "Run the next migration", lines: [
                "Apply \(next.id)?", next.description, "It runs under the migration lock and is recorded as a console run.",
            ], action: .runNext(next.id))
            return []
        case .runAll:
            let pending = state.snapshot?.migrations.filter(\.runnable).count ?? 0
            confirm(&state, title: "Run all pending migrations", lines: [
                "Apply \(pending) pending migration\(pending == 1 ? "" : "s") in order, stopping at the first failure?",
            ], action: .runAll)
            return []
        case .skip:
            guard let migration = state.selectedMigration else { return [] }
            confirm(&state, title: "Skip a migration", lines: [
                "Skip \(migration.id) in this environment?", "No marker is written: unskip it and the next run retries it.",
            ], action: .skip(migration.id, reason: ""), needsReason: true)
            return []
        case .unskip:
            guard let migration = state.selectedMigration else { return [] }
            confirm(&state, title: "Unskip a migration", lines: [
                "Remove the skip of \(migration.id)?", "The next run will retry it.",
            ], action: .unskip(migration.id))
            return []
        case .repair:
            guard let migration = state.selectedMigration else { return [] }
            let retire = migration.state == .missing
            confirm(&state, title: retire ? "Retire a migration" : "Repair a migration", lines: retire ? [
                "Retire \(migration.id), whose file is gone?",
                "It stays applied in the history and never blocks again. Nothing runs.",
            ] : [
                "Approve the edited file of \(migration.id)?",
                "Its current checksum becomes the applied one; the marker keeps the old one, who and why. Nothing runs.",
            ] + ["Cancel is the default: after the reason, → then enter to \(retire ? "retire" : "repair")."],
            action: .repair(migration.id, reason: "", retire: retire, checksum: migration.checksum), needsReason: true, enterConfirms: false)
            return []
        case .rebuild:
            let names: [String]
            if state.view == .projections, let projection = state.selectedProjection { names = [projection.name] } else { names = [] }
            confirm(&state, title: "Rebuild projections", lines: [
                "Rebuild \(names.isEmpty ? "every projection" : names.joined(separator: ", ")) from every event?",
                "Readers keep the old tables until the new ones are swapped in.",
            ], action: .rebuild(names))
            return []
        case .breakLock:
            guard let lock = state.snapshot?.lock else { return [] }
            let stale = lock.staleReason != nil
            confirm(&state, title: stale ? "Break a stale lock" : "Break a LIVE lock", lines: [
                "The lock is held by \(lock.holder), pid \(lock.pid) on \(lock.host).",
                stale ? "It is stale: \(lock.staleReason!)." : "Its holder looks alive: breaking it stops that run at its next batch.",
            ], action: .breakLock(force: !stale))
            return []
        case .cancelRun:
            if state.protected, let name = state.snapshot?.environment {
                state.modal = .confirm(Confirmation(
                    title: "Cancel the running job", lines: [
                        "Stop \(state.job?.title ?? "the job") on \(name), which is protected?",
                        "It stops cleanly after the batch in progress; what committed stays.",
                    ], action: .cancelJob, needsReason: false, requiredName: nil))
                return []
            }
            state.job?.canceling = true
            return [.cancelJob]
        }
    }

    /// Gives the detail pane the keys, its cursor on the first row (or the preview's heading).
    static func focusDetail(_ state: inout ConsoleState, cursorOnPreview: Bool = false) {
        state.focus = .detail
        state.detailTop = 0
        state.detailCursor = 0
        if cursorOnPreview {
            let rows = state.detailRows(width: Layout.of(state).detailWidth)
            if let index = rows.firstIndex(where: { $0.heading && $0.text.hasPrefix("dry-run") }) {
                state.detailCursor = index
                DetailReducer.keepCursorVisible(&state, rows: rows.count)
            }
        }
    }

    /// The run kinds shown, in words.
    static func runKindsLabel(_ kinds: Set<String>?) -> String {
        guard let kinds else { return "every kind (t: no previews)" }
        if kinds == Set(Snapshot.writingRunKinds) { return "no previews (t: previews only)" }
        return kinds.sorted().joined(separator: ", ") + " (t: every kind)"
    }

    /// Loads what the selected run's detail shows and has not been loaded.
    static func runSelectionEffects(_ state: ConsoleState) -> [Effect] {
        guard state.view == .runs, let run = state.selectedRun else { return [] }
        if state.runMigrations[run.id] == nil || run.status == "running" { return [.loadRunMigrations(run.id)] }
        return []
    }

    static func confirm(
        _ state: inout ConsoleState, title: String, lines: [String], action: WriteAction, needsReason: Bool = false,
        enterConfirms: Bool = true
    ) {
        let name = state.protected ? state.snapshot?.environment : nil
        var allLines = lines
        if let name { allLines.append("\(name) is protected: type its name to confirm.") }
        var confirmation = Confirmation(title: title, lines: allLines, action: action, needsReason: needsReason, requiredName: name)
        confirmation.enterConfirms = enterConfirms
        state.modal = .confirm(confirmation)
    }

    static func open(_ state: inout ConsoleState) -> [Effect] {
        if state.focus == .detail { return DetailReducer.open(&state) }
        switch state.view {
        case .migrations, .projections:
            focusDetail(&state)
            return []
        case .runs:
            return showLog(runId: state.selectedRun?.id, &state)
        case .environments:
            guard let environment = state.selectedEnvironment, !environment.current else { return [] }
            return [.switchEnvironment(environment.name)]
        case .log:
            return []
        }
    }

    static func showLog(runId: Int64?, _ state: inout ConsoleState) -> [Effect] {
        state.view = .log
        if state.log.runId != runId || runId == nil {
            state.log = LogState()
            state.log.runId = runId
            state.log.follow = true
        }
        return [logEffect(state)]
    }

    static func logEffect(_ state: ConsoleState) -> Effect {
        .loadLog(runId: state.log.runId, shown: state.log.run?.id, after: state.log.lastLineId)
    }

    static func move(by delta: Int, _ state: inout ConsoleState) -> [Effect] {
        if state.view == .log {
            state.log.top = max(0, state.log.top + delta)
            if delta < 0 { state.log.follow = false }
            clampLog(&state)
            if delta > 0 && state.log.top >= maxLogTop(state) && delta >= 1_000_000 { state.log.follow = true }
            return []
        }
        if state.focus == .detail {
            DetailReducer.move(by: delta, &state)
            return []
        }
        let total = state.count(in: state.view)
        guard total > 0 else { return [] }
        let current = state.selection[state.view] ?? 0
        state.selection[state.view] = min(total - 1, max(0, current + delta))
        state.detailTop = 0
        state.detailCursor = 0
        clamp(&state)
        return state.view == .migrations ? selectionEffects(state) : runSelectionEffects(state)
    }

    /// Loads what the selected migration's detail shows and has not been loaded.
    static func selectionEffects(_ state: ConsoleState) -> [Effect] {
        guard state.view == .migrations, let migration = state.selectedMigration else { return [] }
        var effects: [Effect] = []
        if migration.runnable || migration.state == .skipped, state.candidates[migration.id] == nil, migration.kind == "seed" {
            effects.append(.countCandidates(migration.id))
        }
        if migration.appliedAt != nil, state.writtenEvents[migration.id] == nil {
            effects.append(.loadEvents(migration.id, after: 0))
        }
        return effects
    }

    /// Keeps selections inside their lists and visible.
    static func clamp(_ state: inout ConsoleState) {
        let rows = max(1, Layout.of(state).listRows)
        for view in [ConsoleView.migrations, .runs, .projections, .environments] {
            let total = state.count(in: view)
            var selected = min(state.selection[view] ?? 0, max(0, total - 1))
            selected = max(0, selected)
            state.selection[view] = selected
            var top = state.listTop[view] ?? 0
            if selected < top { top = selected }
            if selected >= top + rows { top = selected - rows + 1 }
            state.listTop[view] = max(0, min(top, max(0, total - rows)))
        }
        clampLog(&state)
    }

    static func pageSize(_ state: ConsoleState) -> Int {
        let layout = Layout.of(state)
        return state.view == .log ? layout.logViewRows : state.focus == .detail ? layout.detailRows : layout.listRows
    }

    /// What the job line says while a write runs.
    static func jobTitle(_ action: WriteAction) -> String {
        switch action {
        case .runNext(let id): return "running \(id)"
        case .runAll: return "running all pending migrations"
        case .skip(let id, _): return "skipping \(id)"
        case .unskip(let id): return "unskipping \(id)"
        case .repair(let id, _, let retire, _): return "\(retire ? "retiring" : "repairing") \(id)"
        case .rebuild(let names): return "rebuilding \(names.isEmpty ? "every projection" : names.joined(separator: ", "))"
        case .breakLock: return "breaking the lock"
        case .cancelJob: return "canceling"
        }
    }

    // MARK: log geometry: the scrolling itself is LogState's

    /// The log view's width and height in cells.
    static func logGeometry(_ state: ConsoleState) -> (width: Int, height: Int) {
        let layout = Layout.of(state)
        return (layout.logViewWidth, layout.logViewRows)
    }

    static func updateWrapCounts(_ state: inout ConsoleState) {
        state.log.updateWrapCounts(width: logGeometry(state).width)
    }

    static func maxLogTop(_ state: ConsoleState) -> Int {
        let (width, height) = logGeometry(state)
        return state.log.maxTop(width: width, height: height)
    }

    static func scrollLogToEnd(_ state: inout ConsoleState) {
        let (width, height) = logGeometry(state)
        state.log.scrollToEnd(width: width, height: height)
    }

    static func clampLog(_ state: inout ConsoleState) {
        let (width, height) = logGeometry(state)
        state.log.clamp(width: width, height: height)
    }

    static func updateMatches(_ state: inout ConsoleState) {
        state.log.updateMatches()
    }

    static func jumpToMatch(forward: Bool, _ state: inout ConsoleState) {
        let (width, height) = logGeometry(state)
        if let notice = state.log.jumpToMatch(forward: forward, width: width, height: height) {
            state.notice = .init(text: notice.text, isError: notice.isError)
        }
    }

    static func label(_ command: ConsoleCommand) -> String {
        Keymap.bindings.first { $0.command == command }?.label ?? command.rawValue
    }
}
