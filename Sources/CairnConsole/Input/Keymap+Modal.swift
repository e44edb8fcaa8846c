/// The keys of dialogs and the input line, in the same table style as the views' keys:
/// the reducers look keys up here, and the dialogs' hint lines are written from here.
extension Keymap {
    /// Where a modal binding applies.
    public enum ModalScope: String, Sendable, Hashable, CaseIterable {
        case help, message, confirmation, input, viewer, command
    }

    /// One row of the modal table.
    public struct ModalBinding: Sendable, Hashable {
        public let keys: [Key]
        public let command: ModalCommand
        /// What it does, in a word or two ("moves", "chooses").
        public let label: String
        public let scope: ModalScope
        /// Its place in the scope's hint line (lower first), or nil when the line leaves it out.
        public let hint: Int?
        /// How the hint line writes its keys, when not the first key's name ("? or esc").
        public let hintKeys: String?

        public init(keys: [Key], command: ModalCommand, label: String, scope: ModalScope, hint: Int?, hintKeys: String? = nil) {
            self.keys = keys
            self.command = command
            self.label = label
            self.scope = scope
            self.hint = hint
            self.hintKeys = hintKeys
        }
    }

    /// Every modal binding. Keys not bound in a scope: in the help overlay they close it;
    /// in a confirmation's text fields and the input line, characters are typed.
    public static let modalBindings: [ModalBinding] = [
        ModalBinding(keys: [.character("j"), .down], command: .scrollDown, label: "down", scope: .help, hint: nil),
        ModalBinding(keys: [.character("k"), .up], command: .scrollUp, label: "up", scope: .help, hint: nil),
        ModalBinding(keys: [.pageDown, .control("f")], command: .pageDown, label: "page down", scope: .help, hint: nil),
        ModalBinding(keys: [.pageUp, .control("b")], command: .pageUp, label: "page up", scope: .help, hint: nil),
        ModalBinding(keys: [.character("?"), .escape], command: .close, label: "closes", scope: .help, hint: 0,
                     hintKeys: "? or esc"),
        ModalBinding(keys: [.enter, .escape, .character("q"), .character(" ")], command: .close, label: "closes",
                     scope: .message, hint: 0),
        ModalBinding(keys: [.tab, .down], command: .nextField, label: "moves", scope: .confirmation, hint: 0),
        ModalBinding(keys: [.backTab, .up], command: .previousField, label: "moves back", scope: .confirmation, hint: nil),
        ModalBinding(keys: [.left], command: .focusCancel, label: "cancel button", scope: .confirmation, hint: nil),
        ModalBinding(keys: [.right], command: .focusConfirm, label: "confirm button", scope: .confirmation, hint: nil),
        ModalBinding(keys: [.enter], command: .choose, label: "chooses", scope: .confirmation, hint: 1),
        ModalBinding(keys: [.escape], command: .cancel, label: "cancels", scope: .confirmation, hint: 2),
        ModalBinding(keys: [.backspace, .delete], command: .deleteBackward, label: "deletes", scope: .confirmation, hint: nil),
        ModalBinding(keys: [.character("j"), .down], command: .scrollDown, label: "down", scope: .viewer, hint: nil),
        ModalBinding(keys: [.character("k"), .up], command: .scrollUp, label: "up", scope: .viewer, hint: nil),
        ModalBinding(keys: [.pageDown, .control("f"), .character(" ")], command: .pageDown, label: "page down", scope: .viewer, hint: nil),
        ModalBinding(keys: [.pageUp, .control("b")], command: .pageUp, label: "page up", scope: .viewer, hint: nil),
        ModalBinding(keys: [.character("g"), .home], command: .top, label: "top", scope: .viewer, hint: nil),
        ModalBinding(keys: [.character("G"), .end], command: .bottom, label: "bottom", scope: .viewer, hint: nil),
        ModalBinding(keys: [.character("y")], command: .copy, label: "copies", scope: .viewer, hint: 1),
        ModalBinding(keys: [.escape, .character("q"), .enter], command: .close, label: "closes", scope: .viewer, hint: 0,
                     hintKeys: "esc"),
        ModalBinding(keys: [.enter], command: .apply, label: "runs", scope: .command, hint: 0),
        ModalBinding(keys: [.tab], command: .complete, label: "completes", scope: .command, hint: 1),
        ModalBinding(keys: [.escape], command: .cancel, label: "closes", scope: .command, hint: 2),
        ModalBinding(keys: [.backspace, .delete], command: .deleteBackward, label: "deletes", scope: .command, hint: nil),
        ModalBinding(keys: [.enter], command: .apply, label: "apply", scope: .input, hint: 0),
        ModalBinding(keys: [.escape], command: .cancel, label: "clear", scope: .input, hint: 1),
        ModalBinding(keys: [.backspace, .delete], command: .deleteBackward, label: "deletes", scope: .input, hint: nil),
    ]

    /// The command `key` triggers in `scope`, if any.
    public static func modalCommand(for key: Key, in scope: ModalScope) -> ModalCommand? {
        modalBindings.first { $0.scope == scope && $0.keys.contains(key) }?.command
    }

    /// The hint line of `scope`: "tab moves · enter chooses · esc cancels".
    public static func modalHint(_ scope: ModalScope) -> String {
        modalBindings.filter { $0.scope == scope && $0.hint != nil }.sorted { $0.hint! < $1.hint! }
            .map { "\($0.hintKeys ?? $0.keys[0].description) \($0.label)" }.joined(separator: " · ")
    }
}
