import ArgumentParser
import CairnRunner
import CairnStore
import Foundation

/// `cairn up`: apply pending migrations.
struct UpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Apply pending migrations in order, under the database lock.",
        discussion: """
            Validates every pending migration first and writes nothing if any problem is found.
            Stops at the first failing migration. Skips skippable migrations that have an
            override (`\(ToolName.current) skip`) or CAIRN_SKIP_<ID>=1 in the environment.
            """)

    @OptionGroup var environment: EnvironmentOptions

    @Option(name: .long, help: ArgumentHelp("Apply pending migrations up to and including this id.", valueName: "id"))
    var to: String?

    @Flag(name: .long, help: "Apply only the next pending migration.")
    var step = false

    @Flag(name: .long, help: "Run despite checksum drift or missing files (emergency; recorded in the run).")
    var allowDrift = false

    @Flag(name: .long, help: "Refuse pending migrations that sort before the newest applied one.")
    var strict = false

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for another runner's lock (default 60).", valueName: "seconds"))
    var lockTimeout: Double = 60

    @Option(name: .long, help: ArgumentHelp("Seconds without heartbeat after which a lock is stale (default 120).", valueName: "seconds"))
    var staleAfter: Double = 120

    @Option(name: .long, help: ArgumentHelp("Longest a candidate query may run, in seconds (default 60).", valueName: "seconds"))
    var queryTimeout: Double = 60

    @Option(name: .long, help: ArgumentHelp("Milliseconds to pause between batches, to spare a busy database.", valueName: "ms"))
    var throttle: Int = 0

    func validate() throws {
        try OptionRange.seconds(lockTimeout, "--lock-timeout")
        try OptionRange.seconds(staleAfter, "--stale-after", zeroAllowed: false)
        try OptionRange.seconds(queryTimeout, "--query-timeout", zeroAllowed: false)
        try OptionRange.throttle(throttle)
    }

    func run() throws {
        let runner = try environment.resolve().runner(waiting: lockTimeout)
        var options = MigrateOptions()
        options.target = to
        options.step = step
        options.allowDrift = allowDrift
        options.strict = strict
        options.lockTimeout = lockTimeout
        options.staleAfter = staleAfter
        options.queryTimeout = queryTimeout
        options.throttle = Double(throttle) / 1000
        options.trigger = .cli
        let signals = SignalCancellation()
        options.cancellation = signals.flag
        try runner.migrate(options, logger: CLILogHandler.logger()) { progress in
            let share = progress.totalRows > 0 ? " (\(progress.rows * 100 / progress.totalRows)%)" : ""
            Output.progress(
                "  \(progress.migrationId)  block \(progress.block)/\(progress.blocks)  \(progress.rows)/\(progress.totalRows) rows\(share)  \(progress.events) events")
        }
    }
}
