/// The `:` command line's table, beside the keys': each command names the console command
/// it runs (so it obeys the same rules, such as `--readonly`) and what its argument is, which
/// is where completion takes its words from.
extension Keymap {
    /// What a command line argument names.
    public enum ArgumentKind: Sendable, Hashable {
        case none, migration, optionalMigration, environment, theme, runKind, optionalProjection, optionalRun
    }

    /// One `:` command.
    public struct LineCommand: Sendable, Hashable {
        public let name: String
        public let argument: ArgumentKind
        /// The console command it runs, when it is one; its key is shown beside it in the help.
        public let command: ConsoleCommand?
        public let summary: String
    }

    /// Every `:` command, in the order the help lists them.
    public static let lineCommands: [LineCommand] = [
        LineCommand(name: "up", argument: .none, command: .runAll, summary: "run every pending migration (asks first)"),
        LineCommand(name: "next", argument: .none, command: .runNext, summary: "run the next pending migration (asks first)"),
        LineCommand(name: "dry-run", argument: .optionalMigration, command: .dryRun, summary: "preview ID (or the selected one)"),
        LineCommand(name: "dry-run-all", argument: .none, command: .dryRunAll, summary: "preview every pending one, in run order"),
        LineCommand(name: "skip", argument: .migration, command: .skip, summary: "skip ID (asks for a reason)"),
        LineCommand(name: "unskip", argument: .migration, command: .unskip, summary: "remove the skip of ID"),
        LineCommand(name: "repair", argument: .migration, command: .repair,
                    summary: "approve ID's edited file, or retire its deleted one (asks for a reason)"),
        LineCommand(name: "rebuild", argument: .optionalProjection, command: .rebuild, summary: "rebuild NAME, or every projection"),
        LineCommand(name: "unlock", argument: .none, command: .breakLock, summary: "break the lock (asks first)"),
        LineCommand(name: "cancel", argument: .none, command: .cancelRun, summary: "cancel the running job"),
        LineCommand(name: "env", argument: .environment, command: nil, summary: "switch to environment NAME of cairn.toml"),
        LineCommand(name: "theme", argument: .theme, command: nil, summary: "switch to theme NAME"),
        LineCommand(name: "runs", argument: .runKind, command: .showRuns, summary: "list runs of KIND (migrate, dry-run, …, all)"),
        LineCommand(name: "log", argument: .optionalRun, command: .showLog, summary: "open the log of run N (or the newest)"),
        LineCommand(name: "help", argument: .none, command: .help, summary: "every key and command"),
        LineCommand(name: "quit", argument: .none, command: .quit, summary: "leave the console"),
    ]

    /// The `:` command named `name`, if there is one.
    public static func lineCommand(named name: String) -> LineCommand? {
        lineCommands.first { $0.name == name }
    }
}
