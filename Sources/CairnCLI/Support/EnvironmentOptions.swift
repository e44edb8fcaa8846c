import ArgumentParser
import CairnPostgres
import CairnRunner
import CairnStore
import Foundation

/// The options every subcommand shares: which environment, which database, which seeds.
struct EnvironmentOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("An environment from cairn.toml.", valueName: "name"))
    var env: String?

    @Option(name: .long, help: ArgumentHelp(
        "The database: an SQLite file, or postgres://USER@HOST[:PORT]/DBNAME (instead of --env).", valueName: "path|url"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("The seeds folder (default: `seeds` from cairn.toml, else ./seeds).", valueName: "dir"))
    var seeds: String?

    /// The environment these options select, with its configuration.
    func resolve() throws -> Target {
        let config = try CairnConfig.load()
        let seedsDirectory = seeds.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? config.seeds
        if env != nil && db != nil {
            throw CLIUsageError("pass either --env NAME or --db PATH, not both")
        }
        if let db, StoreOpener.isServer(db) {
            let url = try PostgresURL(db)
            let naming = config.environments.filter { StoreOpener.sameServerDatabase($0.database, db) }
            if let known = naming.first(where: \.protected) ?? naming.first {
                return Target(name: known.name, database: db, protected: known.protected, seeds: seedsDirectory, config: config)
            }
            return Target(name: url.database, database: db, protected: false, seeds: seedsDirectory, config: config)
        }
        if let db {
            let path = URL(fileURLWithPath: db).standardizedFileURL.path
            // The file of an environment of cairn.toml is that environment, however it is named:
            // `--db` must not be a way around `protected`.
            // Of several naming it, a protected one first: the file is protected if any of them says so.
            let naming = config.environments.filter { EnvironmentOptions.sameFile($0.database, path) }
            if let known = naming.first(where: \.protected) ?? naming.first {
                return Target(name: known.name, database: path, protected: known.protected, seeds: seedsDirectory, config: config)
            }
            return Target(name: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent, database: path,
                          protected: false, seeds: seedsDirectory, config: config)
        }
        let environment: CairnConfig.Environment
        if let env {
            environment = try config.environment(named: env)
        } else if let implicit = config.implicitEnvironment {
            environment = implicit
        } else {
            throw CLIUsageError(
                "no database selected",
                remedy: config.path == nil
                    ? "pass --db PATH, or create cairn.toml with an environment (`\(ToolName.current) init`)"
                    : "pass --db PATH or --env NAME (cairn.toml names: \(config.environments.map(\.name).joined(separator: ", ")); set default_environment to pick one)")
        }
        // An unprotected environment naming the file of a protected one is protected too.
        let protected = environment.protected
            || config.environments.contains { $0.protected && EnvironmentOptions.sameDatabase($0.database, environment.database) }
        return Target(name: environment.name, database: environment.database, protected: protected,
                      seeds: seedsDirectory, config: config)
    }
}

extension EnvironmentOptions {
    /// True when the two strings name one database: the same server database, or the same file.
    static func sameDatabase(_ first: String, _ second: String) -> Bool {
        if StoreOpener.isServer(first) || StoreOpener.isServer(second) {
            return StoreOpener.sameServerDatabase(first, second)
        }
        return sameFile(first, second)
    }

    /// True when the two paths name one file: the same device and inode when both exist (links and
    /// `./` spellings included), else the same path once symbolic links are resolved.
    static func sameFile(_ first: String, _ second: String) -> Bool {
        var a = stat()
        var b = stat()
        if stat(first, &a) == 0, stat(second, &b) == 0 { return a.st_dev == b.st_dev && a.st_ino == b.st_ino }
        let resolve = { (path: String) in URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path }
        return resolve(first) == resolve(second)
    }
}

/// A resolved environment: its name, database, seeds folder and configuration.
struct Target {
    let name: String
    let database: String
    let protected: Bool
    let seeds: String
    let config: CairnConfig

    /// Opens the existing store and a runner over it. A command with `--lock-timeout` passes
    /// it as `waiting`: it then waits as long for SQLite's write lock (held by a reader of a
    /// rollback-journal file, or a runner stopped inside a batch) as for Cairn's lock.
    func runner(mode: EventStore.OpenMode = .existing, waiting: TimeInterval? = nil) throws -> MigrationRunner {
        let application = ApplicationRegistry.shared.application
        var options = EventStore.Options()
        if let waiting { options.busyTimeout = max(waiting, 1) }
        let store = try StoreOpener.open(database, domain: application.domain, mode: mode, options: options)
        return MigrationRunner(application: application, store: store, seedsDirectory: seeds, environmentName: name)
    }

    /// Runs `check` over a read-only runner, so a refusal leaves the file byte for byte as it was:
    /// opening it for writing has GRDB commit an empty schema change when no WAL file is there.
    /// A store of an older schema cannot be read that way; it is then checked after the upgrade,
    /// by the writing command itself.
    func checkReadOnly<T>(_ check: (MigrationRunner) throws -> T) throws -> T? {
        let runner: MigrationRunner
        do {
            runner = try self.runner(mode: .readOnly)
        } catch StoreError.olderSchema {
            return nil
        }
        defer { runner.store.close() }
        return try check(runner)
    }
}
