/// What the console does with the results of its effects and with ticks and resizes:
/// a new snapshot, a loaded log, a preview, a finished job, a switched environment.
enum ResultReducer {
    static func reduce(_ action: Action, _ state: inout ConsoleState) -> [Effect] {
        switch action {
        case .key:
            return []
        case .resized(let width, let height):
            state.width = width
            state.height = height
            Reducer.clamp(&state)
            return []
        case .tick:
            // The first frame waits for the status only: the log loads once it is in,
            // so a long log does not compete with it.
            if state.snapshot == nil && state.loadError == nil { return [.refresh] }
            return [.refresh, Reducer.logEffect(state)]
        case .loaded(let snapshot):
            let previous = state.snapshot
            // The selection follows its item, not its row number, when the lists change.
            let selectedMigration = state.selectedMigration?.id
            let selectedRun = state.selectedRun?.id
            state.snapshot = snapshot
            state.loadError = nil
            if let selectedMigration, let index = state.visibleMigrations.firstIndex(where: { $0.id == selectedMigration }) {
                state.selection[.migrations] = index
            }
            // A run chosen by the operator stays chosen as newer runs arrive; the newest stays the newest.
            if let selectedRun, (state.selection[.runs] ?? 0) > 0,
               let index = state.visibleRuns.firstIndex(where: { $0.id == selectedRun }) {
                state.selection[.runs] = index
            }
            if !state.openedOnProblem {
                // The console opens on what needs an operator: the first failed migration,
                // else the first one left half-done, else the first pending one.
                state.openedOnProblem = true
                let migrations = state.visibleMigrations
                let index = migrations.firstIndex { $0.state == .failed }
                    ?? migrations.firstIndex { $0.state == .partial }
                    ?? migrations.firstIndex { $0.state == .pending }
                if let index, state.view == .migrations { state.selection[.migrations] = index }
            }
            Reducer.clamp(&state)
            if previous == nil { return [Reducer.logEffect(state)] + Reducer.selectionEffects(state) }
            // A run still going shows its migrations as they change.
            if state.view == .runs, let run = state.selectedRun, run.status == "running" || previous?.runs.first(where: { $0.id == run.id })?.status != run.status {
                return [.loadRunMigrations(run.id)]
            }
            return []
        case .loadFailed(let message):
            state.loadError = message
            return []
        case .logLoaded(let runId, let run, let lines, let shown, let after):
            // An answer to an older request (the log was reset or has moved on since) is dropped.
            guard shown == state.log.run?.id, after == state.log.lastLineId,
                  state.log.runId == nil || state.log.runId == runId else {
                return [Reducer.logEffect(state)]
            }
            state.log.take(lines, replacing: state.log.run?.id != runId)
            state.log.run = run
            Reducer.updateWrapCounts(&state)
            if state.log.search != nil { Reducer.updateMatches(&state) }
            if state.log.follow { Reducer.scrollLogToEnd(&state) }
            return []
        case .previewLoaded(let id, let result):
            switch result {
            case .success(let model): state.previews[id] = .done(model)
            case .failure(let failure): state.previews[id] = .failed(failure.message)
            }
            if state.notice?.text.hasPrefix("previewing ") == true, !state.previews.values.contains(.loading) {
                state.notice = .init(text: "previewed: each pending migration's detail has its part of the dry-run", isError: false)
            }
            return []
        case .logMissing(let runId):
            state.log.missing = runId
            state.notice = .init(text: "there is no run \(runId) in this store: :log without a number opens the newest", isError: true)
            return []
        case .candidatesCounted(let id, let text):
            state.candidates[id] = text
            return []
        case .eventsLoaded(let id, let events, let lastPosition, let total, let append):
            if append, var page = state.writtenEvents[id] {
                page.events += events
                page.lastPosition = lastPosition
                page.total = total
                page.loading = false
                state.writtenEvents[id] = page
            } else {
                state.writtenEvents[id] = EventsPage(events: events, lastPosition: lastPosition, total: total)
            }
            return []
        case .lockBroken(let result):
            switch result {
            case .success(let text): state.notice = .init(text: "break the lock: \(text); the waiting job takes it next", isError: false)
            case .failure(let failure):
                state.modal = .message(title: "break the lock failed", lines: failure.message.components(separatedBy: "\n"), isError: true)
            }
            return [.refresh]
        case .runMigrationsLoaded(let runId, let items):
            state.runMigrations[runId] = items
            return []
        case .configReloaded(let result):
            switch result {
            case .success(let environments):
                if !environments.isEmpty {
                    // The environment open stays the current one, whichever the file lists first.
                    let open = state.environments.first(where: \.current)?.name
                    state.environments = environments.map { item in
                        var item = item
                        if let open { item.current = item.name == open }
                        return item
                    }
                    state.protected = state.environments.first(where: \.current)?.protected ?? state.protected
                }
                Reducer.clamp(&state)
            case .failure(let failure):
                state.modal = .message(title: "cannot reload cairn.toml", lines: failure.message.components(separatedBy: "\n"), isError: true)
            }
            return []
        case .jobProgress(let text):
            state.job?.progress = text
            return []
        case .jobFinished(let title, let result):
            state.job = nil
            switch result {
            case .success(let text): state.notice = .init(text: "\(title): \(text)", isError: false)
            case .failure(let failure):
                state.notice = nil
                state.modal = .message(title: "\(title) failed", lines: failure.message.components(separatedBy: "\n"), isError: true)
            }
            // What was previewed or counted may have changed.
            state.forgetLoadedDetails()
            let level = state.log.minimumLevel
            state.log = LogState()
            state.log.minimumLevel = level
            return [.refresh, Reducer.logEffect(state)] + Reducer.selectionEffects(state)
        case .environmentSwitched(let name, let result):
            switch result {
            case .success(let snapshot):
                state.snapshot = snapshot
                state.forgetLoadedDetails()
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
                return [Reducer.logEffect(state)] + Reducer.selectionEffects(state)
            case .failure(let failure):
                state.modal = .message(title: "cannot open \(name)", lines: failure.message.components(separatedBy: "\n"), isError: true)
                return []
            }
        }
    }
}
