/// The console's logic: it changes the state for an action and says what work to
/// do off the UI thread. Pure: no database, no terminal, no clock.
public enum Reducer {
    /// Applies `action` to `state`; returns the effects to run.
    public static func reduce(_ state: inout ConsoleState, _ action: Action) -> [Effect] {
        switch action {
        case .key(let key):
            return handle(key, &state)
        case .resized(let width, let height):
            state.width = width
            state.height = height
            clamp(&state)
            return []
        case .tick:
            // The first frame waits for the status only: the log loads once it is in,
            // so a long log does not compete with it.
            if state.snapshot == nil && state.loadError == nil { return [.refresh] }
            return [.refresh, logEffect(state)]
        case .loaded(let snapshot):
            let previous = state.snapshot
            state.snapshot = snapshot
            state.loadError = nil
            clamp(&state)
            if previous == nil { return [logEffect(state)] + selectionEffects(state) }
            return []
        case .loadFailed(let message):
            state.loadError = message
            return []
        case .logLoaded(let runId, let run, let lines, let shown, let after):
            // An answer to an older request (the log was reset or has moved on since) is dropped.
            guard shown == state.log.run?.id, after == state.log.lastLineId,
                  state.log.runId == nil || state.log.runId == runId else {
                return [logEffect(state)]
            }
            if state.log.run?.id != runId {
                state.log.lines = lines
                state.log.wrapCounts = LogState.WrapCounts()
                state.log.top = 0
            } else {
                state.log.lines += lines
            }
            state.log.run = run
            updateWrapCounts(&state)
            if state.log.search != nil { updateMatches(&state) }
            if state.log.follow { scrollLogToEnd(&state) }
            return []
        case .previewLoaded(let id, let result):
            switch result {
            case .success(let model): state.previews[id] = .done(model)
            case .failure(let failure): state.previews[id] = .failed(failure.message)
            }
            return []
        case .candidatesCounted(let id, let text):
            state.candidates[id] = text
            return []
        case .eventsLoaded(let id, let lines):
            state.writtenEvents[id] = lines
            return []
        case .jobProgress(let text):
            state.job?.progress = text
            return []
        case .jobFinished(let title, let result):
            state.job = nil
            switch result {
            case .success(let text): state.notice = .init(text: "\(title): \(text)", isError: false)
            case .failure(let failure):
                state.modal = .message(title: "\(title) failed", lines: failure.message.components(separatedBy: "\n"), isError: true)
            }
            // What was previewed or counted may have changed.
            state.previews = [:]
            state.candidates = [:]
            state.writtenEvents = [:]
            state.log = LogState()
            return [.refresh, logEffect(state)] + selectionEffects(state)
        case .environmentSwitched(let name, let result):
            switch result {
            case .success(let snapshot):
                state.snapshot = snapshot
                state.previews = [:]
                state.candidates = [:]
                state.writtenEvents = [:]
                state.log = LogState()
                state.selection = [:]
                state.listTop = [:]
                state.filters = [:]
                for index in state.environments.indices {
                    state.environments[index].current = state.environments[index].name == name
                }
                state.protected = state.environments.first { $0.name == name }?.protected ?? false
                state.view = .migrations
                state.notice = .init(text: "switched to \(name)", isError: false)
                return [logEffect(state)] + selectionEffects(state)
            case .failure(let failure):
                state.modal = .message(title: "cannot open \(name)", lines: [failure.message], isError: true)
                return []
            }
        }
    }

    // MARK: keys

    static func handle(_ key: Key, _ state: inout ConsoleState) -> [Effect] {
        if key == .resize { return [] }
        if state.modal != nil { return handleModal(key, &state) }
        if state.input != nil { return handleInput(key, &state) }
        state.notice = nil
        state.pendingKeys.append(key)
        switch Keymap.lookup(state.pendingKeys, in: state.view) {
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
        if command.writes, state.job != nil { return "a job is running" }
        guard let snapshot = state.snapshot else { return command.writes ? "loading" : nil }
        let migration = selectedMigration(state)
        switch command {
        case .dryRun:
            guard let migration else { return "no migration selected" }
            if migration.state == .missing { return "its file is missing" }
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
        case .rebuild:
            return snapshot.projections.isEmpty ? "no projections" : nil
        case .breakLock:
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
            if state.view != .log { state.focus = state.focus == .list ? .detail : .list }
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
            state.input = InputLine(
                purpose: state.view == .log ? .search : .filter,
                text: (state.view == .log ? state.log.search : state.filters[state.view]) ?? "")
            return []
        case .nextMatch, .previousMatch:
            jumpToMatch(forward: command == .nextMatch, &state)
            return []
        case .showMigrations: state.view = .migrations; state.focus = .list; return selectionEffects(state)
        case .showRuns: state.view = .runs; state.focus = .list; return []
        case .showProjections: state.view = .projections; state.focus = .list; return []
        case .showEnvironments: state.view = .environments; state.focus = .list; return []
        case .showLog:
            var runId: Int64?
            if state.view == .runs { runId = selectedRun(state)?.id }
            if state.view == .migrations { runId = selectedMigration(state)?.lastRun ?? selectedMigration(state)?.appliedRun }
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
            return [.refresh, logEffect(state)]
        case .dryRun:
            guard let migration = selectedMigration(state) else { return [] }
            state.previews[migration.id] = .loading
            state.focus = .detail
            return [.preview(migration.id)]
        case .runNext:
            guard let next = state.snapshot?.nextPending else { return [] }
            confirm(&state, title: "Run the next migration", lines: [
                "Apply \(next.id)?", next.description, "It runs under the migration lock and is recorded as a console run.",
            ], action: .runNext(next.id))
            return []
        case .runAll:
            let pending = state.snapshot?.migrations.filter { $0.state == .pending || $0.state == .failed }.count ?? 0
            confirm(&state, title: "Run all pending migrations", lines: [
                "Apply \(pending) pending migration\(pending == 1 ? "" : "s") in order, stopping at the first failure?",
            ], action: .runAll)
            return []
        case .skip:
            guard let migration = selectedMigration(state) else { return [] }
            confirm(&state, title: "Skip a migration", lines: [
                "Skip \(migration.id) in this environment?", "No marker is written: unskip it and the next run retries it.",
            ], action: .skip(migration.id, reason: ""), needsReason: true)
            return []
        case .unskip:
            guard let migration = selectedMigration(state) else { return [] }
            confirm(&state, title: "Unskip a migration", lines: [
                "Remove the skip of \(migration.id)?", "The next run will retry it.",
            ], action: .unskip(migration.id))
            return []
        case .rebuild:
            let names: [String]
            if state.view == .projections, let projection = selectedProjection(state) { names = [projection.name] } else { names = [] }
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
            state.job?.canceling = true
            return [.cancelJob]
        }
    }

    static func confirm(_ state: inout ConsoleState, title: String, lines: [String], action: WriteAction, needsReason: Bool = false) {
        let name = state.protected ? state.snapshot?.environment : nil
        var allLines = lines
        if let name { allLines.append("\(name) is protected: type its name to confirm.") }
        state.modal = .confirm(Confirmation(title: title, lines: allLines, action: action, needsReason: needsReason, requiredName: name))
    }

    static func open(_ state: inout ConsoleState) -> [Effect] {
        switch state.view {
        case .migrations, .projections:
            state.focus = .detail
            state.detailTop = 0
            return []
        case .runs:
            return showLog(runId: selectedRun(state)?.id, &state)
        case .environments:
            guard let environment = selectedEnvironment(state), !environment.current else { return [] }
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

    // MARK: modal and input keys

    static func handleModal(_ key: Key, _ state: inout ConsoleState) -> [Effect] {
        switch state.modal {
        case .help(let scroll):
            switch key {
            case .character("j"), .down: state.modal = .help(scroll: scroll + 1)
            case .character("k"), .up: state.modal = .help(scroll: max(0, scroll - 1))
            case .pageDown, .control("f"): state.modal = .help(scroll: scroll + 10)
            case .pageUp, .control("b"): state.modal = .help(scroll: max(0, scroll - 10))
            default: state.modal = nil
            }
            return []
        case .message:
            if key == .enter || key == .escape || key == .character("q") || key == .character(" ") { state.modal = nil }
            return []
        case .confirm(var confirmation):
            let fields = confirmation.fields
            let index = fields.firstIndex(of: confirmation.focus) ?? 0
            switch key {
            case .escape:
                state.modal = nil
                return []
            case .tab, .down:
                confirmation.focus = fields[(index + 1) % fields.count]
            case .backTab, .up:
                confirmation.focus = fields[(index + fields.count - 1) % fields.count]
            case .left where confirmation.focus == .confirm:
                confirmation.focus = .cancel
            case .right where confirmation.focus == .cancel:
                confirmation.focus = .confirm
            case .enter:
                switch confirmation.focus {
                case .cancel:
                    state.modal = nil
                    return []
                case .confirm:
                    if let blocker = confirmation.blocker {
                        confirmation.problem = blocker
                        break
                    }
                    state.modal = nil
                    var action = confirmation.action
                    if case .skip(let id, _) = action { action = .skip(id, reason: confirmation.reason ?? "") }
                    state.job = ConsoleState.Job(title: jobTitle(action))
                    return [.write(action)]
                case .reason, .name:
                    confirmation.focus = fields[index + 1]
                }
            case .backspace, .delete:
                if confirmation.focus == .reason, confirmation.reason?.isEmpty == false { confirmation.reason?.removeLast() }
                if confirmation.focus == .name, !confirmation.typedName.isEmpty { confirmation.typedName.removeLast() }
            case .character(let character):
                if confirmation.focus == .reason {
                    confirmation.reason?.append(character)
                } else if confirmation.focus == .name {
                    confirmation.typedName.append(character)
                }
            default:
                break
            }
            confirmation.problem = confirmation.problem.flatMap { _ in confirmation.blocker }
            state.modal = .confirm(confirmation)
            return []
        case nil:
            return []
        }
    }

    static func jobTitle(_ action: WriteAction) -> String {
        switch action {
        case .runNext(let id): return "running \(id)"
        case .runAll: return "running all pending migrations"
        case .skip(let id, _): return "skipping \(id)"
        case .unskip(let id): return "unskipping \(id)"
        case .rebuild(let names): return "rebuilding \(names.isEmpty ? "every projection" : names.joined(separator: ", "))"
        case .breakLock: return "breaking the lock"
        }
    }

    static func handleInput(_ key: Key, _ state: inout ConsoleState) -> [Effect] {
        guard var input = state.input else { return [] }
        switch key {
        case .escape:
            state.input = nil
            if input.purpose == .filter { state.filters[state.view] = nil } else { state.log.search = nil; state.log.matches = [] }
            clamp(&state)
            return []
        case .enter:
            state.input = nil
            if input.purpose == .search {
                state.log.search = input.text.isEmpty ? nil : input.text
                updateMatches(&state)
                state.log.currentMatch = nil
                jumpToMatch(forward: true, &state)
            }
            return selectionEffects(state)
        case .backspace, .delete:
            if !input.text.isEmpty { input.text.removeLast() }
        case .character(let character):
            input.text.append(character)
        default:
            return []
        }
        state.input = input
        if input.purpose == .filter {
            state.filters[state.view] = input.text.isEmpty ? nil : input.text
            state.selection[state.view] = 0
            state.listTop[state.view] = 0
        }
        return []
    }

    // MARK: lists

    /// The migrations shown, after the filter.
    public static func visibleMigrations(_ state: ConsoleState) -> [Snapshot.Migration] {
        let all = state.snapshot?.migrations ?? []
        guard let filter = state.filters[.migrations]?.lowercased(), !filter.isEmpty else { return all }
        return all.filter { "\($0.id) \($0.description) \($0.state.rawValue)".lowercased().contains(filter) }
    }

    /// The runs shown, newest first, after the filter.
    public static func visibleRuns(_ state: ConsoleState) -> [Snapshot.Run] {
        let all = state.snapshot?.runs ?? []
        guard let filter = state.filters[.runs]?.lowercased(), !filter.isEmpty else { return all }
        return all.filter { "\($0.id) \($0.kind) \($0.trigger) \($0.status) \($0.error ?? "")".lowercased().contains(filter) }
    }

    /// The projections shown, after the filter.
    public static func visibleProjections(_ state: ConsoleState) -> [Snapshot.Projection] {
        let all = state.snapshot?.projections ?? []
        guard let filter = state.filters[.projections]?.lowercased(), !filter.isEmpty else { return all }
        return all.filter { $0.name.lowercased().contains(filter) }
    }

    /// The environments shown, after the filter.
    public static func visibleEnvironments(_ state: ConsoleState) -> [ConsoleState.EnvironmentItem] {
        guard let filter = state.filters[.environments]?.lowercased(), !filter.isEmpty else { return state.environments }
        return state.environments.filter { $0.name.lowercased().contains(filter) }
    }

    static func count(_ view: ConsoleView, _ state: ConsoleState) -> Int {
        switch view {
        case .migrations: return visibleMigrations(state).count
        case .runs: return visibleRuns(state).count
        case .projections: return visibleProjections(state).count
        case .environments: return visibleEnvironments(state).count
        case .log: return state.log.lines.count
        }
    }

    public static func selectedMigration(_ state: ConsoleState) -> Snapshot.Migration? {
        let list = visibleMigrations(state)
        let index = state.selection[.migrations] ?? 0
        return list.indices.contains(index) ? list[index] : nil
    }

    public static func selectedRun(_ state: ConsoleState) -> Snapshot.Run? {
        let list = visibleRuns(state)
        let index = state.selection[.runs] ?? 0
        return list.indices.contains(index) ? list[index] : nil
    }

    public static func selectedProjection(_ state: ConsoleState) -> Snapshot.Projection? {
        let list = visibleProjections(state)
        let index = state.selection[.projections] ?? 0
        return list.indices.contains(index) ? list[index] : nil
    }

    public static func selectedEnvironment(_ state: ConsoleState) -> ConsoleState.EnvironmentItem? {
        let list = visibleEnvironments(state)
        let index = state.selection[.environments] ?? 0
        return list.indices.contains(index) ? list[index] : nil
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
            state.detailTop = max(0, state.detailTop + delta)
            return []
        }
        let total = count(state.view, state)
        guard total > 0 else { return [] }
        let current = state.selection[state.view] ?? 0
        state.selection[state.view] = min(total - 1, max(0, current + delta))
        state.detailTop = 0
        clamp(&state)
        return state.view == .migrations ? selectionEffects(state) : []
    }

    /// Loads what the selected migration's detail shows and has not been loaded.
    static func selectionEffects(_ state: ConsoleState) -> [Effect] {
        guard state.view == .migrations, let migration = selectedMigration(state) else { return [] }
        var effects: [Effect] = []
        if [.pending, .failed, .skipped].contains(migration.state), state.candidates[migration.id] == nil, migration.kind == "seed" {
            effects.append(.countCandidates(migration.id))
        }
        if migration.appliedAt != nil, state.writtenEvents[migration.id] == nil {
            effects.append(.loadEvents(migration.id))
        }
        return effects
    }

    /// Keeps selections inside their lists and visible.
    static func clamp(_ state: inout ConsoleState) {
        let rows = max(1, Layout(width: state.width, height: state.height).listRows)
        for view in [ConsoleView.migrations, .runs, .projections, .environments] {
            let total = count(view, state)
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
        let layout = Layout(width: state.width, height: state.height)
        return state.view == .log ? layout.logViewRows : layout.listRows
    }

    // MARK: log

    /// The log's display rows: one per line, or several when wrapping.
    public static func logRows(_ state: ConsoleState, width: Int) -> [(line: Int, text: String)] {
        logRows(state, width: width, window: 0..<Int.max)
    }

    /// The log's display rows in `window` (row indexes), formatted only there when
    /// lines are not wrapped: a key press then costs the same for a log of five lines
    /// and one of a hundred thousand.
    static func logRows(_ state: ConsoleState, width: Int, window: Range<Int>) -> [(line: Int, text: String)] {
        let lines = state.log.lines
        guard state.log.wrap else {
            let start = min(max(0, window.lowerBound), lines.count)
            let end = max(start, min(window.upperBound, lines.count))
            return (start..<end).map { ($0, logText(lines[$0])) }
        }
        let counts = wrapCounts(state, width: width)
        var rows: [(Int, String)] = []
        var row = 0
        for (index, line) in lines.enumerated() {
            // With the counts known, lines before the window are skipped without wrapping them.
            if let counts, row + counts[index] <= window.lowerBound {
                row += counts[index]
                continue
            }
            for piece in Screen.wrap(logText(line), width: width) {
                if window.contains(row) { rows.append((index, piece)) }
                row += 1
            }
            if row >= window.upperBound { break }
        }
        return rows
    }

    /// How many display rows the log has at `width`.
    static func logRowCount(_ state: ConsoleState, width: Int) -> Int {
        guard state.log.wrap else { return state.log.lines.count }
        if let counts = wrapCounts(state, width: width) { return counts.reduce(0, +) }
        return state.log.lines.reduce(0) { $0 + Screen.wrap(logText($1), width: width).count }
    }

    /// The first display row of line `index` at `width`.
    static func logRow(ofLine index: Int, _ state: ConsoleState, width: Int) -> Int {
        guard state.log.wrap else { return index }
        if let counts = wrapCounts(state, width: width) { return counts[..<min(index, counts.count)].reduce(0, +) }
        return logRows(state, width: width).firstIndex { $0.line == index } ?? 0
    }

    /// The kept wrapped row counts when they hold every line at `width`, else nil.
    private static func wrapCounts(_ state: ConsoleState, width: Int) -> [Int]? {
        let counts = state.log.wrapCounts
        return counts.width == width && counts.rows.count == state.log.lines.count ? counts.rows : nil
    }

    /// Brings the wrapped row counts up to date: wraps only the lines added since, or all
    /// of them after a resize.
    static func updateWrapCounts(_ state: inout ConsoleState) {
        guard state.log.wrap else { return }
        let width = Layout(width: state.width, height: state.height).logViewWidth
        if state.log.wrapCounts.width != width || state.log.wrapCounts.rows.count > state.log.lines.count {
            state.log.wrapCounts = LogState.WrapCounts(width: width, rows: [])
        }
        for line in state.log.lines[state.log.wrapCounts.rows.count...] {
            state.log.wrapCounts.rows.append(Screen.wrap(logText(line), width: width).count)
        }
    }

    /// One log line as the log view shows it: time, level, message.
    static func logText(_ line: LogState.Line) -> String {
        "\(line.time) \(line.level.padding(toLength: 7, withPad: " ", startingAt: 0)) \(line.message)"
    }

    static func maxLogTop(_ state: ConsoleState) -> Int {
        let layout = Layout(width: state.width, height: state.height)
        return max(0, logRowCount(state, width: layout.logViewWidth) - layout.logViewRows)
    }

    static func scrollLogToEnd(_ state: inout ConsoleState) {
        updateWrapCounts(&state)
        state.log.top = maxLogTop(state)
    }

    static func clampLog(_ state: inout ConsoleState) {
        updateWrapCounts(&state)
        state.log.top = min(state.log.top, maxLogTop(state))
    }

    static func updateMatches(_ state: inout ConsoleState) {
        guard let term = state.log.search?.lowercased(), !term.isEmpty else {
            state.log.matches = []
            return
        }
        state.log.matches = state.log.lines.indices.filter { state.log.lines[$0].message.lowercased().contains(term) }
    }

    static func jumpToMatch(forward: Bool, _ state: inout ConsoleState) {
        let matches = state.log.matches
        guard !matches.isEmpty else {
            if state.log.search != nil { state.notice = .init(text: "no line matches \"\(state.log.search!)\"", isError: true) }
            return
        }
        let next: Int
        if let current = state.log.currentMatch {
            next = forward ? (current + 1) % matches.count : (current + matches.count - 1) % matches.count
        } else {
            next = forward ? 0 : matches.count - 1
        }
        state.log.currentMatch = next
        state.log.follow = false
        let layout = Layout(width: state.width, height: state.height)
        updateWrapCounts(&state)
        let row = logRow(ofLine: matches[next], state, width: layout.logViewWidth)
        state.log.top = max(0, row - layout.logViewRows / 2)
        clampLog(&state)
        state.notice = .init(text: "match \(next + 1) of \(matches.count)", isError: false)
    }

    static func label(_ command: ConsoleCommand) -> String {
        Keymap.bindings.first { $0.command == command }?.label ?? command.rawValue
    }
}
