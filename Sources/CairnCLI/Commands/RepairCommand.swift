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

    @Option(name: .long, help: ArgumentHelp("The environment's name again, required on a protected environment without a terminal.", valueName: "name"))
    var confirm: String?

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for another runner's lock (default 60).", valueName: "seconds"))
    var lockTimeout: Double = 60

    func validate() throws {
        try OptionRange.seconds(lockTimeout, "--lock-timeout")
    }

    func run() throws {
        let target = try environment.resolve()
        // The refusals come before the confirmation (a typo is not worth typing a name for), on a
        // read-only store: a refused repair leaves the file as it was.
        _ = try target.checkReadOnly { runner in try runner.checkRepair(id, reason: reason) }
        try ProtectedConfirmation.check(target, confirm: confirm, action: "repair \(id)")
        let runner = try target.runner(waiting: lockTimeout)
        var options = MigrateOptions()
        options.lockTimeout = lockTimeout
        // The run's log lines say what it did, on standard output, as `up` and `rebuild` do.
        try runner.repair(id, reason: reason, options: options, logger: CLILogHandler.logger())
    }
}
