import ArgumentParser
import CairnRunner
import CairnStore

/// `cairn status`: where every migration stands.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show applied, pending, failed, skipped, drifted and missing migrations.")

    @OptionGroup var environment: EnvironmentOptions

    @Flag(name: .long, help: "Print one JSON object instead of a table.")
    var json = false

    func run() throws {
        try StatusCommand.print(target: try environment.resolve(), json: json)
    }

    /// Prints the status of `target`, as a table or as JSON.
    static func print(target: Target, json: Bool) throws {
        let runner = try target.runner(mode: .readOnly)
        let report = try runner.status()
        if json {
            Output.standard(StatusPrinter.json(report).jsonText)
        } else {
            StatusPrinter.lines(report, projections: try runner.store.projectionStates()).forEach(Output.standard)
        }
    }
}
