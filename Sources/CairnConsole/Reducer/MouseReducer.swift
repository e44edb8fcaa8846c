/// The mouse: a click selects the list row or detail line under it (and gives that pane the
/// keys), the wheel scrolls the pane under the pointer. Dialogs take no clicks.
enum MouseReducer {
    /// Rows the wheel moves per notch.
    static let wheelStep = 3

    static func reduce(_ event: MouseEvent, _ state: inout ConsoleState) -> [Effect] {
        if case .viewer = state.modal {
            if event.kind != .click { return ModalReducer.reduce(event.kind == .wheelUp ? .up : .down, &state) }
            return []
        }
        guard state.modal == nil, state.input == nil else { return [] }
        let layout = Layout.of(state)
        guard event.y >= layout.paneTop, event.y < layout.paneBottom || state.view == .log else { return [] }
        let delta = event.kind == .wheelUp ? -wheelStep : wheelStep
        if state.view == .log {
            guard event.kind != .click else { return [] }
            return Reducer.move(by: delta, &state)
        }
        let inList = event.x < layout.listWidth
        switch event.kind {
        case .click:
            let row = event.y - layout.paneTop - 1
            guard row >= 0 else { return [] }
            if inList {
                state.focus = .list
                let index = (state.listTop[state.view] ?? 0) + row
                guard index < state.count(in: state.view) else { return [] }
                return Reducer.move(by: index - (state.selection[state.view] ?? 0), &state)
            }
            guard state.detailHeader != nil, state.view != .environments else { return [] }
            if state.focus != .detail { state.focus = .detail }
            state.detailCursor = state.detailTop + row
            DetailReducer.keepCursorVisible(&state, rows: DetailReducer.rows(state).count)
            return []
        case .wheelUp, .wheelDown:
            if inList {
                state.focus = .list
                return Reducer.move(by: delta, &state)
            }
            guard state.detailHeader != nil, state.view != .environments else { return [] }
            state.focus = .detail
            DetailReducer.move(by: delta, &state)
            return []
        }
    }
}
