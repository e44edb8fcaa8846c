/// What a key asks the console to do; the keymap maps keys to these.
public enum ConsoleCommand: String, Sendable, CaseIterable, Hashable {
    case moveUp, moveDown, pageUp, pageDown, top, bottom
    case nextPane, open, back, quit, help
    case filter, nextMatch, previousMatch
    case showMigrations, showRuns, showLog, showProjections, showEnvironments
    case dryRun, runNext, runAll, skip, unskip, repair, rebuild, breakLock, cancelRun
    case toggleFollow, toggleWrap, refresh
    case dryRunAll, growLog, shrinkLog, copy, commandLine, cycleRunKinds, cycleLogLevel

    /// True for commands that write to the store; `--readonly` disables them.
    public var writes: Bool {
        switch self {
        case .runNext, .runAll, .skip, .unskip, .repair, .rebuild, .breakLock: return true
        default: return false
        }
    }
}
