import ArgumentParser
import CairnRunner
import CairnStore
import Foundation

/// `cairn new NAME`: write a dated seed file from a template.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create seeds/YYYY-MM-DD-NAME.sql with today's date and a commented template.")

    @Argument(help: ArgumentHelp("The migration's name in kebab-case, e.g. fix-admin-roles.", valueName: "name"))
    var name: String

    @OptionGroup var environment: EnvironmentOptions

    @Option(name: .long, help: ArgumentHelp("The date to put in front (default: today, UTC).", valueName: "YYYY-MM-DD"))
    var date: String?

    func run() throws {
        let config = try CairnConfig.load()
        let folder = environment.seeds.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? config.seeds
        let day = date ?? String(Timestamp.now().prefix(10))
        let id = "\(day)-\(name)"
        if let problem = MigrationID.problem(with: id) {
            throw CLIUsageError(problem, remedy: "NAME is lower-case kebab-case, e.g. `\(ToolName.current) new fix-admin-roles`")
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = URL(fileURLWithPath: folder).appendingPathComponent("\(id).sql").path
        if FileManager.default.fileExists(atPath: path) {
            throw CLIUsageError("\(CairnPaths.display(path)) already exists", remedy: "choose another name")
        }
        if let existing = try? FileManager.default.contentsOfDirectory(atPath: folder)
            .first(where: { $0.hasSuffix("-\(name).sql") }) {
            Output.warning("\(existing) has the same name; ids differ by date, but the two may be confused")
        }
        let template = """
            -- description: \(name.replacingOccurrences(of: "-", with: " "))
            -- skippable: false
            -- batch: 256

            -- Every row the SELECT returns becomes one call of the handler, as `system`.
            -- Return only rows that still need the change, so a second run does nothing.
            -- It returns a `payload` column (a JSON object) and, optionally, `stream_tenant`.
            -- @write context:write:verb
            SELECT json_object('id', t.id) AS payload
            FROM some_read_table t
            WHERE 0;

            """
        try template.write(toFile: path, atomically: true, encoding: .utf8)
        Output.standard("created \(CairnPaths.display(path))")
        warnIfOutOfOrder(id)
        Output.standard("edit the description, the handler after @write and the SELECT; check it with `\(ToolName.current) verify`")
    }

    /// Warns when the new id sorts before a migration already applied in the selected
    /// environment (it would run out of order there). Silent when no database is selected.
    private func warnIfOutOfOrder(_ id: String) {
        let explicit = environment.db != nil || environment.env != nil
        do {
            let target = try environment.resolve()
            guard StoreOpener.isServer(target.database) || FileManager.default.fileExists(atPath: target.database) else { return }
            let report = try target.runner(mode: .readOnly).status()
            if let newest = report.migrations.filter({ $0.marker != nil }).map(\.id).max(), id < newest {
                Output.warning("\(id) sorts before \(newest), which is applied in \(target.name): it will run out of order there"
                    + " (refused by `up --strict`); a later date avoids that")
            }
        } catch {
            if explicit {
                Output.warning("could not check \(environment.db.map(StoreOpener.shown) ?? environment.env ?? ""): \(error)")
            }
        }
    }
}
