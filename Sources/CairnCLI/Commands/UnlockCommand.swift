import ArgumentParser
import CairnRunner

/// `cairn unlock`: break a stale lock, or with --force a live one.
struct UnlockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock",
        abstract: "Break the migration lock if its holder is gone (stale); --force breaks a live one.",
        discussion: "Exit 4 when the holder is alive and --force is not given. The break is recorded as an `unlock` run.")

    @OptionGroup var environment: EnvironmentOptions

    @Flag(name: .long, help: "Break the lock even though its holder looks alive.")
    var force = false

    @Option(name: .long, help: ArgumentHelp("Seconds without heartbeat after which a lock is stale (default 120).", valueName: "seconds"))
    var staleAfter: Double = 120

    func validate() throws {
        try OptionRange.seconds(staleAfter, "--stale-after", zeroAllowed: false)
    }

    func run() throws {
        let runner = try environment.resolve().runner()
        guard let broken = try runner.unlock(force: force, staleAfter: staleAfter, logger: CLILogHandler.logger()) else {
            Output.standard("not locked")
            return
        }
        Output.standard("lock broken: it was held by \(Output.safe(broken.info.description))")
        if let ended = broken.ended {
            Output.standard(ended)
        }
    }
}
