import ArgumentParser
import CairnStore
import Foundation

/// What `cairn` does with no subcommand: the console on a terminal, the status otherwise.
struct DefaultCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "The console on a terminal, else the status (what `\(ToolName.current)` alone does).",
        shouldDisplay: false)

    @OptionGroup var environment: EnvironmentOptions

    @Flag(name: .long, help: "Open the console with every writing action disabled.")
    var readonly = false

    @Option(name: .long, help: ArgumentHelp("The console theme.", valueName: "name"))
    var theme: String?

    func run() throws {
        if isatty(0) != 0 && isatty(1) != 0 {
            try ConsoleCommand.open(target: try environment.resolve(), readonly: readonly, theme: theme)
        } else {
            try StatusCommand.print(target: try environment.resolve(), json: false)
        }
    }
}
