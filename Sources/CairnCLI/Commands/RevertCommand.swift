import ArgumentParser
import CairnRunner
import CairnStore

/// `cairn revert --to ID`: undo applied migrations through their `@down` blocks.
struct RevertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revert",
        abstract: "Undo the migrations applied after ID (or the newest N), newest first, through their @down blocks.",
        discussion: """
            Each @down block's rows become handler calls as `system` (compensating events); each
            marker is removed in the transaction of the migration's last batch. Refuses with exit 2,
            before writing anything, when any of them has no @down section. Preview it with
            `\(ToolName.current) dry-run --revert-to ID`.
            """)

    @OptionGroup var environment: EnvironmentOptions

    @Option(name: .long, help: ArgumentHelp("Revert every migration applied after this one (it stays applied).", valueName: "id"))
    var to: String?

    @Option(name: .long, help: ArgumentHelp("Revert the newest N applied migrations.", valueName: "n"))
    var steps: Int?

    @Flag(name: .long, help: "Revert despite checksum drift or missing files (recorded in the run).")
    var allowDrift = false

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for another runner's lock (default 60).", valueName: "seconds"))
    var lockTimeout: Double = 60

    @Option(name: .long, help: ArgumentHelp("Milliseconds to pause between batches, to spare a busy database.", valueName: "ms"))
    var throttle: Int = 0

    func validate() throws {
        try OptionRange.seconds(lockTimeout, "--lock-timeout")
        try OptionRange.throttle(throttle)
        if (to == nil) == (steps == nil) {
            throw ValidationError("pass --to ID or --steps N (one of them)")
        }
    }

    func run() throws {
        let runner = try environment.resolve().runner(waiting: lockTimeout)
        let signals = SignalCancellation()
        var options = MigrateOptions()
        options.allowDrift = allowDrift
        options.lockTimeout = lockTimeout
        options.throttle = Double(throttle) / 1000
        options.cancellation = signals.flag
        try runner.revert(to: to, steps: steps, options: options, logger: CLILogHandler.logger()) { progress in
            Output.progress("  \(progress.migrationId)  @down block \(progress.block)/\(progress.blocks)  \(progress.rows)/\(progress.totalRows) rows")
        }
    }
}
