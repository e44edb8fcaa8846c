import ArgumentParser
import CairnPostgres
import CairnRunner
import CairnStore
import Foundation

/// `cairn init`: create cairn.toml, the seeds folder and the database.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create cairn.toml, the seeds folder and the environment's database with Cairn's tables.",
        discussion: """
            Keeps what already exists. Without --db or --env, writes a cairn.toml with one
            environment, `local`, whose database is .cairn/local.sqlite.
            """)

    @OptionGroup var environment: EnvironmentOptions

    func run() throws {
        let cwd = FileManager.default.currentDirectoryPath
        let configPath = URL(fileURLWithPath: cwd).appendingPathComponent(CairnConfig.fileName).path
        // A URL that cannot be used is refused before anything is written.
        if let db = environment.db, StoreOpener.isServer(db) {
            _ = try PostgresURL(db)
        }
        var created = false
        if !FileManager.default.fileExists(atPath: configPath) {
            // A password is never written: the file names the server, PGPASSWORD gives the password.
            let database = environment.db.map(StoreOpener.shown) ?? ".cairn/local.sqlite"
            // The database first: a server that refuses the login or the tables, or a path that
            // cannot hold a file, fails here with nothing written.
            let location = environment.db.map { StoreOpener.isServer($0) ? $0 : URL(fileURLWithPath: $0).standardizedFileURL.path }
                ?? URL(fileURLWithPath: cwd).appendingPathComponent(database).standardizedFileURL.path
            created = !StoreOpener.isServer(location) && !FileManager.default.fileExists(atPath: location)
            let store = try StoreOpener.open(location, domain: ApplicationRegistry.shared.application.domain, mode: .createIfNeeded)
            store.close()
            let name = environment.env ?? "local"
            let text = """
                # Cairn configuration for `\(ToolName.current)`: environments, their databases, the seeds folder.
                # Every key is described in Cairn's README, section "Configuration: cairn.toml";
                # `\(ToolName.current) --help` lists the commands.
                seeds = "\(environment.seeds ?? "seeds")"
                theme = "default"
                default_environment = "\(name)"

                [environments.\(name)]
                database = "\(database)"
                protected = false

                """
            try text.write(toFile: configPath, atomically: true, encoding: .utf8)
            Output.standard("created \(CairnConfig.fileName) (environment '\(name)' → \(database))")
        }
        let target = try environment.resolve()
        if !FileManager.default.fileExists(atPath: target.seeds) {
            try FileManager.default.createDirectory(atPath: target.seeds, withIntermediateDirectories: true)
            Output.standard("created \(CairnPaths.display(target.seeds))/")
        }
        if StoreOpener.isServer(target.database) {
            let runner = try target.runner(mode: .createIfNeeded)
            runner.store.close()
            Output.standard("\(runner.store.location) is ready (Cairn's tables created or checked)")
            Output.standard("next: `\(ToolName.current) new NAME` writes a seed, `\(ToolName.current) status` shows where things stand")
            return
        }
        let existed = !created && FileManager.default.fileExists(atPath: target.database)
        // The store creates the file and the folders missing above it, for the owner only.
        _ = try target.runner(mode: .createIfNeeded)
        Output.standard(existed
            ? "\(CairnPaths.display(target.database)) is ready (Cairn's tables checked)"
            : "created \(CairnPaths.display(target.database)) with Cairn's tables")
        Output.standard("next: `\(ToolName.current) new NAME` writes a seed, `\(ToolName.current) status` shows where things stand")
    }
}
