/// Keys while a dialog is open: the help overlay and messages here, confirmations in
/// `ConfirmationReducer`; what each key does comes from `Keymap.modalBindings`.
enum ModalReducer {
    static func reduce(_ key: Key, _ state: inout ConsoleState) -> [Effect] {
        switch state.modal {
        case .help(let scroll):
            switch Keymap.modalCommand(for: key, in: .help) {
            case .scrollDown: state.modal = .help(scroll: scroll + 1)
            case .scrollUp: state.modal = .help(scroll: max(0, scroll - 1))
            case .pageDown: state.modal = .help(scroll: scroll + 10)
            case .pageUp: state.modal = .help(scroll: max(0, scroll - 10))
            default: state.modal = nil
            }
            return []
        case .message:
            // A message closes on its keys; any other key closes it and does what it does in the
            // view, so "press x to break it" works from the message itself.
            state.modal = nil
            if Keymap.modalCommand(for: key, in: .message) == .close { return [] }
            return Reducer.handle(key, &state)
        case .confirm(let confirmation):
            return ConfirmationReducer.reduce(key, confirmation, &state)
        case .viewer(var viewer):
            let page = max(1, Layout.of(state).height - 8)
            let last = max(0, viewer.rows(width: Viewer.textWidth(screenWidth: state.width)).count - page)
            switch Keymap.modalCommand(for: key, in: .viewer) {
            case .scrollDown: viewer.top += 1
            case .scrollUp: viewer.top -= 1
            case .pageDown: viewer.top += page
            case .pageUp: viewer.top -= page
            case .top: viewer.top = 0
            case .bottom: viewer.top = last
            case .copy:
                let text = viewer.lines.joined(separator: "\n")
                state.notice = .init(text: "copied \(text.count) characters to the clipboard (OSC 52)", isError: false)
                return [.copy(text)]
            case .close:
                state.modal = nil
                return []
            default:
                return []
            }
            viewer.top = max(0, min(viewer.top, last))
            state.modal = .viewer(viewer)
            return []
        case nil:
            return []
        }
    }
}
