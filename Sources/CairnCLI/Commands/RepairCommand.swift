import ArgumentParser
import CairnRunner
import CairnStore

/// `cairn repair ID --reason TEXT`: end the block of an applied migration whose file was edited or deleted on purpose.
struct RepairCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Approve an edited applied file's checksum, or retire a deleted one, with a reason.",
        discussion: """
            For an applied migration whose file changed on purpose (a comment, a typo in the
            description), the file's current checksum is approved: the marker keeps the previous
            checksum and who (user and host), when and why, and status shows it applied again.
            For an applied migration whose file is gone, the migration is retired: status shows
            it `retired`, it never blocks again, and its history is kept. Nothing is run and no
            event is written; a `repair` run records it with the reason.

            Refused with exit 2, writing nothing: no reason, an unknown id, or a migration that
            is neither drifted nor missing. On an environment marked `protected` in cairn.toml,
            pass --confirm NAME, or type the name when asked on a terminal.
            """)

    @OptionGroup var environment: EnvironmentOptions

    @Argument(help: ArgumentHelp("The applied migration's id.", valueName: "id"))
    var id: String

    @Option(name: .long, help: ArgumentHelp("Why the file changed or went (required; kept on the marker and the run).", valueName: "text"))
    var reason: String

    @OptionGroup var recovery: RecoveryOptions

    func run() throws {
        // The run's log lines say what it did, on standard output, as `up` and `rebuild` do.
        try recovery.perform(
            on: try environment.resolve(), check: { runner in try runner.checkRepair(id, reason: reason) },
            action: { _ in "repair \(id)" }
        ) { runner, options in
            try runner.repair(id, reason: reason, options: options, logger: CLILogHandler.logger())
        }
    }
}
