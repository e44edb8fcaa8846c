import ArgumentParser
import CairnRunner
import CairnStore
import Foundation

/// `cairn skip ID --reason TEXT`: skip a broken skippable migration in this environment.
struct SkipCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skip",
        abstract: "Skip a skippable migration in this environment, with a reason; writes no marker.",
        discussion: """
            The next run goes on past the migration. Remove the skip with `\(ToolName.current) unskip ID` and
            the next run retries it. CAIRN_SKIP_<ID>=1 in a process's environment is the other
            way to skip, for a pod that cannot reach a console.
            """)

    @OptionGroup var environment: EnvironmentOptions

    @Argument(help: ArgumentHelp("The migration id.", valueName: "id"))
    var id: String

    @Option(name: .long, help: ArgumentHelp("Why it is skipped (required).", valueName: "text"))
    var reason: String

    @Option(name: .long, help: ArgumentHelp("When the skip ends: a date or an ISO 8601 time.", valueName: "date"))
    var until: String?

    func run() throws {
        var expiry: Date?
        if let until {
            guard let date = Timestamp.date(from: until) else {
                throw CLIUsageError("--until '\(until)' is not a date", remedy: "write YYYY-MM-DD or an ISO 8601 time")
            }
            expiry = date
        }
        let runner = try environment.resolve().runner()
        let override = try runner.skip(id, reason: reason, until: expiry)
        Output.standard("⤼ \(Output.safe(id)) skipped in \(Output.safe(runner.environmentName)) by \(Output.safe(override.createdBy))"
            + (override.expiresAt.map { " until \($0)" } ?? "") + ": \(Output.safe(override.reason))")
    }
}
