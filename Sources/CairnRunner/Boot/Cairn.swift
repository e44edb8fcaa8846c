import CairnStore
import Foundation
import Logging

/// The entry points an application calls.
public enum Cairn {
    /// Applies pending migrations at application start-up and logs in Cairn's boot shape:
    ///
    /// ```
    /// [cairn] 1/1 pending
    /// [cairn] dry-run ok — all referenced handlers registered
    /// [cairn] ✓ 2026-05-20-fix-admin-roles (72 ms, 2 events) — add the TenantAdmin role ...
    /// ```
    ///
    /// It creates the database and Cairn's tables when they are missing, takes the
    /// migration lock (so two pods booting at once apply each migration once),
    /// and records the run with its log, so a failed boot can be read later with
    /// `cairn log` or the console. `CAIRN_SKIP_<ID>=1` in the environment skips a
    /// skippable migration.
    ///
    /// - Returns: what was applied and skipped.
    /// - Throws: `RunnerError` (its `exitCode` tells why) or a store error. Exit
    ///   with a non-zero status when it throws: later migrations may depend on the failed one.
    @discardableResult
    public static func boot(
        _ application: CairnApplication, database: String, seeds: String, environment: String = "default",
        options: MigrateOptions = MigrateOptions(), logger: Logger = .cairnBoot
    ) throws -> MigrateOutcome {
        ToolName.use(application.commandName)
        // A missing seeds folder is a deployment mistake: say so before creating anything.
        var isFolder: ObjCBool = false
        if !FileManager.default.fileExists(atPath: seeds, isDirectory: &isFolder) || !isFolder.boolValue {
            throw CatalogError(directory: seeds, reason: "does not exist or is not a folder; nothing was created or run")
        }
        let store = try StoreOpener.open(database, domain: application.domain, mode: .createIfNeeded)
        defer { store.close() }
        let runner = MigrationRunner(
            application: application, store: store, seedsDirectory: seeds, environmentName: environment)
        var options = options
        options.trigger = .boot
        return try runner.migrate(options, logger: logger)
    }

    /// Applies pending migrations at start-up from async code, without blocking Swift's cooperative pool.
    ///
    /// The same as the synchronous `boot`, for an application whose `main` is async
    /// (Vapor, Hummingbird): the boot, which may wait for another replica's migration
    /// lock, runs on Cairn's own threads while the caller is suspended.
    @discardableResult
    public static func boot(
        _ application: CairnApplication, database: String, seeds: String, environment: String = "default",
        options: MigrateOptions = MigrateOptions(), logger: Logger = .cairnBoot
    ) async throws -> MigrateOutcome {
        try await BlockingWork.run {
            try boot(application, database: database, seeds: seeds, environment: environment, options: options, logger: logger)
        }
    }

    /// Opens the application's event store for its own commands, creating the file (or, for a
    /// `postgres://` URL, the tables) when they are missing; `boot` opens the same store the same way.
    ///
    /// ```swift
    /// let store = try Cairn.open(application, database: "data/events.sqlite")
    /// try store.execute(Command("library:write:lend-book", payload: payload, actor: Actor(role: .member, id: userId)))
    /// ```
    public static func open(_ application: CairnApplication, database: String) throws -> any RunnerStore {
        try StoreOpener.open(database, domain: application.domain, mode: .createIfNeeded)
    }
}
