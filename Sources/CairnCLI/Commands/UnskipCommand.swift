import ArgumentParser
import CairnRunner

/// `cairn unskip ID`: remove a persisted skip, so the next run retries the migration.
struct UnskipCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unskip",
        abstract: "Remove a skip override; the next run retries the migration.")

    @OptionGroup var environment: EnvironmentOptions

    @Argument(help: ArgumentHelp("The migration id.", valueName: "id"))
    var id: String

    func run() throws {
        let runner = try environment.resolve().runner()
        let removed = try runner.unskip(id)
        Output.standard("\(Output.safe(id)) is no longer skipped (the skip by \(Output.safe(removed.createdBy)) said: \(Output.safe(removed.reason)))")
        let variable = MigrationID.skipVariable(for: id)
        if let value = runner.processEnvironment[variable] {
            Output.warning("\(variable)=\(Output.safe(value)) is still set in this environment")
        }
    }
}
