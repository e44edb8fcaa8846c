import ArgumentParser
import CairnConsole
import CairnRunner
import CairnStore
import CairnTerminal
import Foundation

/// `cairn console`: the operations console (also `cairn` with no subcommand, on a terminal).
struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Open the operations console (the default when \(ToolName.current) runs on a terminal).",
        discussion: """
            Browse migrations, runs, logs, projections and environments; preview a migration's
            changes; run the next one; skip a broken skippable one; follow any run's log live,
            including runs of other processes. Writing actions ask for confirmation (default:
            Cancel); a protected environment asks for its name. Press ? for every key.
            """)

    @OptionGroup var environment: EnvironmentOptions

    @Flag(name: .long, help: "Disable every writing action (run, skip, unskip, rebuild, break lock).")
    var readonly = false

    @Option(name: .long, help: ArgumentHelp("The theme: default, light, high-contrast, mono, or themes/NAME.toml (default: `theme` in cairn.toml, else default).", valueName: "name"))
    var theme: String?

    func run() throws {
        let target = try environment.resolve()
        try ConsoleCommand.open(target: target, readonly: readonly, theme: theme)
    }

    /// Opens the console on `target` and runs it until the operator quits.
    static func open(target: Target, readonly: Bool, theme themeName: String?) throws {
        // Theme files beside cairn.toml, then in the working folder, override or add to the built-in ones.
        let working = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("themes").path
        let besideConfig = target.config.path.map {
            URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent("themes").path
        }
        let folders = ([besideConfig, working].compactMap { $0 }).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let theme = try Theme.load(named: themeName ?? target.config.theme, directories: folders)
        // --readonly opens the file read-only: not even WAL set-up or a checkpoint writes it.
        let mode: EventStore.OpenMode = readonly ? .readOnly : .existing
        let runner = try target.runner(mode: mode)
        let environments = target.config.environments.map { environment in
            ConsoleState.EnvironmentItem(
                name: environment.name, database: StoreOpener.shown(environment.database), protected: environment.protected,
                current: environment.database == target.database)
        }
        var state = ConsoleState(
            readonlyReason: readonly ? "read-only console (--readonly)" : nil, protected: target.protected,
            environments: environments)
        state.themes = Theme.available(directories: folders)
        let startConfig = target.config
        let application = ApplicationRegistry.shared.application
        let seeds = target.seeds
        let database = target.database
        // cairn.toml is read again whenever an environment is opened and on ctrl-r, so an edit shows without a restart.
        let freshConfig = { @Sendable () throws -> CairnConfig in
            guard let path = startConfig.path else { return startConfig }
            return try CairnConfig.load(from: URL(fileURLWithPath: path).deletingLastPathComponent().path)
        }
        let factory: EffectRunner.RunnerFactory = { name in
            let environment = try freshConfig().environment(named: name)
            let store = try StoreOpener.open(environment.database, domain: application.domain, mode: mode)
            return MigrationRunner(application: application, store: store, seedsDirectory: seeds, environmentName: name)
        }
        let reload: EffectRunner.EnvironmentsLoader = {
            let config = try freshConfig()
            let current = config.environments.first { $0.database == database }?.name
            return config.environments.map { environment in
                ConsoleState.EnvironmentItem(
                    name: environment.name, database: StoreOpener.shown(environment.database), protected: environment.protected,
                    current: environment.name == current)
            }
        }
        let controller = ConsoleController(
            runner: runner, state: state, factory: factory, environments: startConfig.path == nil ? nil : reload)
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let terminal: Terminal
        do {
            terminal = try Terminal(theme: theme, noColor: noColor)
        } catch let error as TerminalError {
            throw CLIUsageError(error.message)
        }
        ConsoleLoop.run(controller, in: terminal) { name in try Theme.load(named: name, directories: folders) }
    }
}
