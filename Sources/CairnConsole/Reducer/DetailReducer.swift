import Foundation

/// Keys in the detail pane: a cursor row that `j`/`k`, `G`/`g g` and the pages move,
/// `enter` to open the row whole (or load more events), `/` and `n`/`N` to search it.
enum DetailReducer {
    /// The detail's rows at the current width.
    static func rows(_ state: ConsoleState) -> DetailRows {
        state.detailRows(width: Layout.of(state).detailWidth)
    }

    static func move(by delta: Int, _ state: inout ConsoleState) {
        let count = rows(state).count
        state.detailCursor = max(0, min(max(0, count - 1), state.detailCursor + delta))
        keepCursorVisible(&state, rows: count)
    }

    /// Scrolls so the cursor row is on screen.
    static func keepCursorVisible(_ state: inout ConsoleState, rows count: Int) {
        let visible = Layout.of(state).detailRows
        state.detailCursor = max(0, min(max(0, count - 1), state.detailCursor))
        if state.detailCursor < state.detailTop { state.detailTop = state.detailCursor }
        if state.detailCursor >= state.detailTop + visible { state.detailTop = state.detailCursor - visible + 1 }
        state.detailTop = max(0, min(state.detailTop, max(0, count - visible)))
    }

    /// `enter` on the cursor row: opens its item whole, or loads the next page of events.
    static func open(_ state: inout ConsoleState) -> [Effect] {
        let all = rows(state)
        guard all.contains(state.detailCursor) else { return [] }
        let row = all[state.detailCursor]
        if row.loadsMore, let migration = state.selectedMigration, var page = state.writtenEvents[migration.id] {
            guard !page.loading else { return [] }
            page.loading = true
            state.writtenEvents[migration.id] = page
            return [.loadEvents(migration.id, after: page.lastPosition)]
        }
        guard let whole = row.whole else {
            state.notice = .init(text: "nothing more to open on this line: enter opens events, rows and payloads", isError: true)
            return []
        }
        state.modal = .viewer(Viewer(title: whole.title, text: whole.text))
        return []
    }

    /// Moves the cursor to the next (or previous) row matching the search, wrapping around.
    static func jumpToMatch(forward: Bool, _ state: inout ConsoleState) {
        guard let term = state.detailSearch?.lowercased(), !term.isEmpty else {
            state.notice = .init(text: "no search: press / to search the detail", isError: true)
            return
        }
        let all = rows(state)
        let matches = all.matches(term)
        guard !matches.isEmpty else {
            state.notice = .init(text: "no line matches \"\(term)\"", isError: true)
            return
        }
        let next: Int
        if forward {
            next = matches.first { $0 > state.detailCursor } ?? matches[0]
        } else {
            next = matches.last { $0 < state.detailCursor } ?? matches[matches.count - 1]
        }
        state.detailCursor = next
        keepCursorVisible(&state, rows: all.count)
        let number = (matches.firstIndex(of: next) ?? 0) + 1
        state.notice = .init(text: "match \(number) of \(matches.count) for \"\(term)\"", isError: false)
    }

    /// Starts a detail search from the cursor row.
    static func search(_ term: String, _ state: inout ConsoleState) {
        state.detailSearch = term.isEmpty ? nil : term
        guard !term.isEmpty else { return }
        state.detailCursor = max(0, state.detailCursor - 1)
        jumpToMatch(forward: true, &state)
    }

    /// What `y` copies: the cursor row's whole item (or its text) in the detail, the selected
    /// item's id in a list, the current match or last line of the log.
    static func copyText(_ state: ConsoleState) -> String? {
        if case .viewer(let viewer)? = state.modal { return viewer.lines.joined(separator: "\n") }
        if state.view == .log {
            let line = state.log.currentMatch.map { state.log.matches[$0] }.map { state.log.lines[$0] } ?? state.log.lines.last
            return line.map { $0.message }
        }
        if state.focus == .detail {
            let all = rows(state)
            guard all.contains(state.detailCursor) else { return nil }
            let row = all[state.detailCursor]
            return row.whole?.text ?? row.text.trimmingCharacters(in: .whitespaces)
        }
        switch state.view {
        case .migrations: return state.selectedMigration?.id
        case .runs: return state.selectedRun.map { String($0.id) }
        case .projections: return state.selectedProjection?.name
        case .environments: return state.selectedEnvironment?.database
        case .log: return nil
        }
    }
}
