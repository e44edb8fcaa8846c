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
            state.snapshot = snapshot
            state.loadError = nil
            Reducer.clamp(&state)
            if previous == nil { return [Reducer.logEffect(state)] + Reducer.selectionEffects(state) }
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
            if state.log.run?.id != runId {
                state.log.lines = lines
                state.log.wrapCounts = LogState.WrapCounts()
                state.log.top = 0
            } else {
                state.log.lines += lines
            }
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
            return [.refresh, Reducer.logEffect(state)] + Reducer.selectionEffects(state)
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
                return [Reducer.logEffect(state)] + Reducer.selectionEffects(state)
            case .failure(let failure):
                state.modal = .message(title: "cannot open \(name)", lines: [failure.message], isError: true)
                return []
            }
        }
    }
}
