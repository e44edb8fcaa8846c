import ArgumentParser
import CairnCLI
import CairnDemo
import Foundation

/// `cairn-reliability`: trials that crash, race and stress real `cairn` processes
/// against demo stores, and check that nothing was lost, duplicated or half-written.
@main
struct ReliabilityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cairn-reliability",
        abstract: "Crash and race trials against real cairn processes, with figures.",
        discussion: """
            crash: kill -9 `cairn up` at a random moment of a many-batch migration, run it
                   again until done, and check every event, marker, read table and page.
            race:  start several `cairn up` at once beside an application process writing
                   through the handlers; check each migration ran once and no write was lost.
            Exit 0 when every trial passed, 1 otherwise. Release builds run the trials faster:
              swift run -c release cairn-reliability crash --trials 200
            """,
        subcommands: [CrashCommand.self, RaceCommand.self, CairnPassthrough.self, AppWriterCommand.self, AppBootCommand.self]
    )
}

/// Runs the `cairn` command line in this process, so trials can start `cairn` as a child
/// of this executable (`cairn-reliability cairn up ...`) without a second build product.
struct CairnPassthrough: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cairn", shouldDisplay: false)

    @Argument(parsing: .captureForPassthrough)
    var arguments: [String] = []

    func run() throws {
        Foundation.exit(CairnCommandLine.run(DemoApplication.application, arguments: arguments))
    }
}
