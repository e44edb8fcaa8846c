/// The meaning of a piece of text on screen; the theme gives each role its colours.
///
/// The console core only ever says what text means, never which colour it is:
/// that keeps screens testable as text and lets themes and `NO_COLOR` decide looks.
public enum StyleRole: String, Sendable, CaseIterable, Hashable {
    case normal
    case dim
    case title
    case border
    case selection
    case applied
    case pending
    case failed
    case skipped
    case drift
    case missing
    case diffAdd = "diff-add"
    case diffRemove = "diff-remove"
    case diffChange = "diff-change"
    case logDebug = "log-debug"
    case logInfo = "log-info"
    case logWarning = "log-warning"
    case logError = "log-error"
    case hint
    case hintKey = "hint-key"
    case hintDisabled = "hint-disabled"
    case accent
    case error
    case dialog
    case button
    case buttonFocused = "button-focused"
    case input
    case match
    case banner
    /// The title of the pane that has the keys (reversed, so it shows without colour).
    case focus
    /// What warns of harm: `PROTECTED`, a live lock held by someone else.
    case danger
}
