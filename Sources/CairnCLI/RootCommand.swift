import ArgumentParser
import CairnStore

/// `cairn`: the root command and its subcommands.
///
/// Its name is the one the command line runs under (`library-cairn` for an application's
/// own), and `demo` is there only when the application has a demo builder.
struct RootCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        let hasDemo = ApplicationRegistry.shared.application.demo != nil
        return CommandConfiguration(
        commandName: ToolName.current,
        abstract: "Run one-shot data migrations against an SQLite event store, and inspect them.",
        discussion: """
            Seeds are dated SQL files in seeds/ whose SELECT rows become handler calls as `system`.
            With no subcommand, \(ToolName.current) opens the console on the default environment
            when it runs on a terminal, and prints its status otherwise.

            EXIT CODES
              0  success, or nothing to do
              1  a migration failed (later ones did not run)
              2  usage or validation error: bad seed, unknown handler, SQL that is not
                 read-only, bad configuration, missing database; a refused repair
                 or baseline (nothing written)
              3  blocked: checksum drift, a missing applied file, or out-of-order
                 migrations under --strict
              4  the migration lock stayed held by another runner past --lock-timeout
            130  canceled by SIGINT or SIGTERM between batches (committed batches stay,
                 no marker; the next run resumes)
            """,
        subcommands: [
            DefaultCommand.self, ConsoleCommand.self, StatusCommand.self, InitCommand.self, NewCommand.self, VerifyCommand.self, DryRunCommand.self,
            UpCommand.self, SkipCommand.self, UnskipCommand.self, RunsCommand.self, LogCommand.self,
            RebuildCommand.self, RevertCommand.self, UnlockCommand.self, RepairCommand.self, BaselineCommand.self,
        ] + (hasDemo ? [DemoCommand.self] : []),
        defaultSubcommand: DefaultCommand.self
        )
    }
}
