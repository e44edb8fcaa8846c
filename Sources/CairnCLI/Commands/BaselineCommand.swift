import ArgumentParser
import CairnRunner
import CairnStore

/// `cairn baseline ID --reason TEXT`: adopt Cairn on an environment whose data already reflects the migrations up to ID.
struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Mark every migration up to and including ID applied without running it, with a reason.",
        discussion: """
            For an environment whose data already reflects those migrations (it was migrated by
            hand, or before Cairn). No event is written; each marker is flagged as a baseline
            ("baseline": true in `status --json`) and a `baseline` run records it with the
            reason. Later migrations stay pending for `\(ToolName.current) up`.

            Refused with exit 2, writing nothing: no reason, an unknown id, an environment where
            any migration is already applied, or a file up to ID that cannot be read or parsed.
            On an environment marked `protected` in cairn.toml, pass --confirm NAME, or type the
            name when asked on a terminal.
            """)

    @OptionGroup var environment: EnvironmentOptions

    @Argument(help: ArgumentHelp("The newest migration the data already reflects.", valueName: "id"))
    var id: String

    @Option(name: .long, help: ArgumentHelp("Why the environment is adopted this way (required; kept on each marker and the run).", valueName: "text"))
    var reason: String

    @OptionGroup var recovery: RecoveryOptions

    func run() throws {
        // The run's log lines say what it did, on standard output, as `up` and `rebuild` do.
        try recovery.perform(
            on: try environment.resolve(), check: { runner in try runner.checkBaseline(through: id, reason: reason) },
            action: { planned in
                "baseline " + (planned.map { "\($0) migration\($0 == 1 ? "" : "s")" } ?? "the migrations up to \(id)")
            }
        ) { runner, options in
            try runner.baseline(through: id, reason: reason, options: options, logger: CLILogHandler.logger())
        }
    }
}
