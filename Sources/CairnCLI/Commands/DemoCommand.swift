import ArgumentParser
import CairnPostgres
import CairnRunner
import CairnStore
import Foundation

/// `cairn demo`: build a realistic demo environment and show it.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a demo database through the application's handlers and show its status.",
        discussion: """
            The database (the `demo` environment of cairn.toml, else .cairn/demo.sqlite) is built
            once and reused; --reset builds it again. Sizes: small (3 tenants, 50 users), medium (20 tenants, 2,000 users),
            large (200 tenants, over 200,000 events).
            """)

    @Option(name: .long, help: ArgumentHelp("The demo database file (default: the `demo` environment of cairn.toml, else .cairn/demo.sqlite).", valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("The seeds folder (default: `seeds` from cairn.toml, else ./seeds).", valueName: "dir"))
    var seeds: String?

    @Option(name: .long, help: "small, medium or large.")
    var size: DemoSize = .small

    @Flag(name: .long, help: "Rebuild the demo database even if it exists.")
    var reset = false

    @Flag(name: .long, help: "Print the status instead of opening the console.")
    var noConsole = false

    @Option(name: .long, help: ArgumentHelp("The console theme.", valueName: "name"))
    var theme: String?

    func run() throws {
        let application = ApplicationRegistry.shared.application
        guard let builder = application.demo else {
            throw CLIUsageError("this build of cairn has no demo domain", remedy: "use the `cairn` executable of the Cairn package")
        }
        let config = try CairnConfig.load()
        let configured = config.environments.first { $0.name == "demo" }?.database
        let server = db.map(StoreOpener.isServer) ?? configured.map(StoreOpener.isServer) ?? false
        let path = db.map { server ? $0 : URL(fileURLWithPath: $0).standardizedFileURL.path }
            ?? configured ?? URL(fileURLWithPath: ".cairn/demo.sqlite").standardizedFileURL.path
        // The demo's seeds in PostgreSQL's dialect live in seeds/postgres, with the same ids and story.
        let folder = seeds.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            ?? (server ? URL(fileURLWithPath: config.seeds).appendingPathComponent("postgres").path : config.seeds)
        let fileManager = FileManager.default
        // Checked before anything is built or reset: a demo without its seeds shows nothing to run.
        var isFolder: ObjCBool = false
        if !fileManager.fileExists(atPath: folder, isDirectory: &isFolder) || !isFolder.boolValue {
            throw CLIUsageError(
                "the demo's seeds folder \(CairnPaths.display(folder)) does not exist or is not a folder; nothing was built or reset",
                remedy: "run the demo from the Cairn package's folder, whose seeds/ (and seeds/postgres/ for a --db postgres:// URL)"
                    + " hold the demo's seeds, or pass --seeds DIR")
        }
        if reset {
            if server {
                try PostgresStore.dropTables(url: PostgresURL(path), domain: application.domain)
            } else {
                for suffix in ["", "-wal", "-shm"] where fileManager.fileExists(atPath: path + suffix) {
                    try fileManager.removeItem(atPath: path + suffix)
                }
            }
        }
        let exists = server || fileManager.fileExists(atPath: path)
        // The store creates the file and the folders missing above it, for the owner only.
        let store = try StoreOpener.open(path, domain: application.domain, mode: .createIfNeeded)
        defer { store.close() }
        let head = try store.headPosition()
        if exists && head > 0 {
            Output.standard("using the demo database at \(CairnPaths.display(path)) (--reset builds a new one)")
        } else {
            let started = Date()
            let summary = try builder.build(into: store, size: size) { Output.progress("building the demo: \($0)") }
            Output.standard("\(summary) (\(Int(Date().timeIntervalSince(started) * 1000)) ms)")
            Output.standard("database: \(CairnPaths.display(path)) · seeds: \(CairnPaths.display(folder))")
        }
        if !noConsole && isatty(0) != 0 && isatty(1) != 0 {
            store.close()
            let target = Target(name: "demo", database: path, protected: false, seeds: folder, config: config)
            try ConsoleCommand.open(target: target, readonly: false, theme: theme)
            return
        }
        let runner = MigrationRunner(application: application, store: store, seedsDirectory: folder, environmentName: "demo")
        StatusPrinter.lines(try runner.status(), projections: try store.projectionStates()).forEach(Output.standard)
        let dbOption = configured == path ? "" : " --db \(CairnPaths.display(path))"
        Output.standard("next: `\(ToolName.current)\(dbOption)` opens the console; `\(ToolName.current) up\(dbOption)` applies the seeds")
    }
}

extension DemoSize: ExpressibleByArgument {}
