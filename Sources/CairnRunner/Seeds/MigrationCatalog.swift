import CairnStore
import Foundation

/// The migrations of an application: the seed files of its `seeds/` folder and
/// its Swift migrations, sorted by id (the run order).
public struct MigrationCatalog: Sendable {
    /// The seeds folder.
    public let directory: String
    /// Every migration, sorted by id.
    public let migrations: [Migration]
    /// Problems that belong to no single migration: bad file names, duplicate ids.
    public let problems: [SeedParseError]

    /// Reads every `*.sql` file in `directory` and merges in the Swift migrations.
    ///
    /// - Throws: `CatalogError` when the folder is missing or unreadable; problems
    ///   with single files are collected, not thrown.
    public static func load(seeds directory: String, swiftMigrations: [any SwiftMigration] = []) throws -> MigrationCatalog {
        let folder = URL(fileURLWithPath: directory).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CatalogError(directory: folder.path, reason: "does not exist or is not a folder")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw CatalogError(directory: folder.path, reason: "cannot be read (\(error.localizedDescription))")
        }
        var migrations: [Migration] = []
        var problems: [SeedParseError] = []
        var files: [String: String] = [:]
        // Per file only string work: status reads every seed on each call (500 seeds in the benchmark).
        let cwd = FileManager.default.currentDirectoryPath
        let folderPath = folder.path
        for name in names.sorted() where name.lowercased().hasSuffix(".sql") && !name.hasPrefix(".") {
            let path = folderPath.hasSuffix("/") ? folderPath + name : folderPath + "/" + name
            // A file name can hold any byte but NUL and `/`: shown, its control characters are visible.
            let display = displayPath(path, cwd: cwd).visibleControls
            let id = String(name.dropLast(4))
            if let other = files[id] {
                problems.append(SeedParseError(
                    path: display, line: 0, message: "duplicate id: \(other.visibleControls) has the same id \(id.visibleControls)",
                    hint: "every migration needs its own id; remove or rename one of the two files"))
                migrations.removeAll { $0.id == id }
                continue
            }
            files[id] = name
            if let problem = MigrationID.problem(with: id) {
                problems.append(SeedParseError(
                    path: display, line: 0, message: "bad file name: \(problem.visibleControls)",
                    hint: "rename the file, e.g. with `\(ToolName.current) new NAME`, which puts today's date in front"))
                continue
            }
            // A file that cannot be read stays in the catalog as an invalid migration: it is
            // counted, shown and refused by name, never silently left out of "N pending".
            guard let data = FileManager.default.contents(atPath: path) else {
                let readable = access(path, R_OK) == 0
                let failure = errno
                let reason = readable ? "it is not a regular file" : String(cString: strerror(failure))
                migrations.append(Migration(id: id, path: display, checksum: "", source: .invalid([SeedParseError(
                    path: display, line: 0, message: "cannot be read (\(reason))",
                    hint: readable || failure != EACCES
                        ? "put a seed file there, or remove what is there"
                        : "make it readable by the user running cairn (e.g. `chmod a+r \(display)`), or remove it")])))
                continue
            }
            guard let text = String(validating: data, as: UTF8.self) else {
                migrations.append(Migration(id: id, path: display, checksum: "", source: .invalid([SeedParseError(
                    path: display, line: 0, message: "is not UTF-8 text",
                    hint: "save it as UTF-8")])))
                continue
            }
            let checksum = Checksum.of(seedText: text)
            switch SeedParser.parse(text, id: id, path: display) {
            case .success(let seed):
                migrations.append(Migration(id: id, path: display, checksum: checksum, source: .seed(seed), text: text))
            case .failure(let failure):
                migrations.append(Migration(
                    id: id, path: display, checksum: checksum, source: .invalid(failure.errors), text: text))
            }
        }
        var seen = Dictionary(uniqueKeysWithValues: migrations.map { ($0.id, $0.path ?? "") })
        for migration in swiftMigrations {
            if let problem = MigrationID.problem(with: migration.id) {
                problems.append(SeedParseError(path: "Swift migration \(migration.id)", line: 0, message: "bad id: \(problem)"))
                continue
            }
            if let other = seen[migration.id] {
                problems.append(SeedParseError(
                    path: "Swift migration \(migration.id)", line: 0,
                    message: "duplicate id: \(other.isEmpty ? "another Swift migration" : other) has the same id",
                    hint: "every migration needs its own id"))
                continue
            }
            seen[migration.id] = ""
            migrations.append(Migration(id: migration.id, path: nil, checksum: migration.checksum, source: .swift(migration)))
        }
        return MigrationCatalog(
            directory: folder.path, migrations: migrations.sorted { $0.id < $1.id }, problems: problems)
    }

    /// The migration with `id`, if there is one.
    public func migration(_ id: String) -> Migration? {
        migrations.first { $0.id == id }
    }

    /// A path relative to the working directory when it is inside it, for messages.
    static func displayPath(_ path: String, cwd: String = FileManager.default.currentDirectoryPath) -> String {
        path.hasPrefix(cwd + "/") ? String(path.dropFirst(cwd.count + 1)) : path
    }
}

/// The seeds folder is missing or unreadable.
public struct CatalogError: ExplainedError, Sendable {
    /// The folder.
    public let directory: String
    /// What is wrong with it.
    public let reason: String

    public var summary: String { "the seeds folder \(directory) \(reason)" }
    public var remedy: String? { "pass --seeds DIR, set `seeds` in cairn.toml, or create it with `\(ToolName.current) init`" }

    public var exitCode: Int32 { CairnExit.usage }
}
