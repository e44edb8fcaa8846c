/// What a key does inside a dialog or the input line; `Keymap.modalBindings` maps keys to these.
public enum ModalCommand: String, Sendable, CaseIterable, Hashable {
    /// Scroll the help overlay.
    case scrollDown, scrollUp, pageDown, pageUp
    /// Close the help overlay or a message.
    case close
    /// Move between a confirmation's fields and buttons.
    case nextField, previousField, focusCancel, focusConfirm
    /// Press the focused button, or go on to the next field.
    case choose
    /// Close the dialog without doing anything; in the input line, clear it.
    case cancel
    /// Delete the character before the cursor.
    case deleteBackward
    /// Take the input line's text.
    case apply
    /// Go to the first or last line of a viewer.
    case top, bottom
    /// Copy what a viewer shows to the clipboard (OSC 52).
    case copy
    /// Complete the command line's word from the commands table.
    case complete
}
