/// Keys in a confirmation dialog: moving between its fields and buttons, typing a
/// reason or the environment's name, and confirming, which starts the write job.
enum ConfirmationReducer {
    static func reduce(_ key: Key, _ confirmation: Confirmation, _ state: inout ConsoleState) -> [Effect] {
        var confirmation = confirmation
        let fields = confirmation.fields
        let index = fields.firstIndex(of: confirmation.focus) ?? 0
        let typing = confirmation.focus == .reason || confirmation.focus == .name
        switch Keymap.modalCommand(for: key, in: .confirmation) {
        case .cancel:
            state.modal = nil
            return []
        case .nextField:
            confirmation.focus = fields[(index + 1) % fields.count]
        case .previousField:
            confirmation.focus = fields[(index + fields.count - 1) % fields.count]
        case .focusCancel where confirmation.focus == .confirm:
            confirmation.focus = .cancel
        case .focusConfirm where confirmation.focus == .cancel:
            confirmation.focus = .confirm
        case .choose:
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
                if confirmation.action == .cancelJob {
                    state.job?.canceling = true
                    return [.cancelJob]
                }
                if case .breakLock(let force) = confirmation.action, state.job != nil {
                    // The job waiting for this lock goes on and takes it once it is broken.
                    state.notice = .init(text: "breaking the lock; the waiting job takes it next", isError: false)
                    return [.breakLockBeside(force: force)]
                }
                var action = confirmation.action
                if case .skip(let id, _) = action { action = .skip(id, reason: confirmation.reason ?? "") }
                if case .repair(let id, _, let retire, let checksum) = action {
                    action = .repair(id, reason: confirmation.reason ?? "", retire: retire, checksum: checksum)
                }
                state.job = ConsoleState.Job(title: Reducer.jobTitle(action))
                return [.write(action)]
            case .reason, .name:
                // Enter in a text field confirms once every field is valid. Until then it moves on
                // from a field that is filled to the one still missing, and stays (saying what is
                // wrong) in one that is not: it never lands on Cancel, where the next enter would cancel.
                if confirmation.blocker == nil, !confirmation.enterConfirms {
                    confirmation.focus = .cancel
                    state.modal = .confirm(confirmation)
                    return []
                }
                if confirmation.blocker == nil {
                    confirmation.focus = .confirm
                    state.modal = .confirm(confirmation)
                    return reduce(.enter, confirmation, &state)
                }
                let reasonMissing = confirmation.reason.map { $0.trimmingCharacters(in: .whitespaces).isEmpty } ?? false
                if confirmation.focus == .reason && !reasonMissing && confirmation.requiredName != nil {
                    confirmation.focus = .name
                } else {
                    confirmation.problem = confirmation.blocker
                    state.modal = .confirm(confirmation)
                    return []
                }
            }
        case .deleteBackward:
            if confirmation.focus == .reason { confirmation.reason = confirmation.reason.map(TextInputReducer.deletingLast) }
            if confirmation.focus == .name { confirmation.typedName = TextInputReducer.deletingLast(confirmation.typedName) }
        default:
            if typing, let character = TextInputReducer.typed(key) {
                if confirmation.focus == .reason { confirmation.reason?.append(character) } else { confirmation.typedName.append(character) }
            }
        }
        confirmation.problem = confirmation.problem.flatMap { _ in confirmation.blocker }
        state.modal = .confirm(confirmation)
        return []
    }
}
