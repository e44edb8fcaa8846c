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
            if Keymap.modalCommand(for: key, in: .message) == .close { state.modal = nil }
            return []
        case .confirm(let confirmation):
            return ConfirmationReducer.reduce(key, confirmation, &state)
        case nil:
            return []
        }
    }
}
