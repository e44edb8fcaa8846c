import ArgumentParser
import CairnRunner
import CairnStore

/// `cairn rebuild [NAME...]`: rebuild projections from every event.
struct RebuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Rebuild projections by replaying every event into shadow tables and swapping them in.",
        discussion: """
            Without names, rebuilds every projection. Readers see the old tables until one short
            transaction swaps the new ones in. Runs under the migration lock and is recorded as a
            rebuild run. SIGINT/SIGTERM stop it; the live tables then stay as they were (exit 130).
            """)

    @OptionGroup var environment: EnvironmentOptions

    @Argument(help: ArgumentHelp("Projections to rebuild (default: all).", valueName: "name"))
    var names: [String] = []

    @Flag(name: .long, help: "Print one JSON object when done.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for another runner's lock (default 60).", valueName: "seconds"))
    var lockTimeout: Double = 60

    @Option(name: .long, help: ArgumentHelp("Milliseconds to pause between replay transactions, to spare a busy database.", valueName: "ms"))
    var throttle: Int = 0

    func validate() throws {
        try OptionRange.seconds(lockTimeout, "--lock-timeout")
        try OptionRange.throttle(throttle)
    }

    func run() throws {
        let runner = try environment.resolve().runner(waiting: lockTimeout)
        let signals = SignalCancellation()
        var options = MigrateOptions()
        options.lockTimeout = lockTimeout
        options.throttle = Double(throttle) / 1000
        options.cancellation = signals.flag
        let summary = try runner.rebuild(names, options: options, logger: CLILogHandler.logger(minimum: json ? .error : .info, toStandardError: json)) { done, total in
            Output.progress("  replaying events: \(done)/\(total)\(total > 0 ? " (\(done * 100 / total)%)" : "")")
        }
        if json {
            Output.standard(JSONValue.object([
                "projections": .array(summary.projections.map(JSONValue.string)),
                "events": .int(Int64(summary.events)),
                "rows": .object(summary.rows.mapValues { .int(Int64($0)) }),
            ]).jsonText)
        }
    }
}
