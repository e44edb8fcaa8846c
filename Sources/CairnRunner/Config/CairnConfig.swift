import CairnPostgres
import CairnStore
import Foundation
import TOMLKit

/// The contents of `cairn.toml`: the seeds folder, the theme and the environments.
///
/// ```toml
/// seeds = "seeds"
/// theme = "default"
/// default_environment = "local"
///
/// [environments.local]
/// database = ".cairn/local.sqlite"
///
/// [environments.production]
/// database = "/srv/app/events.sqlite"
/// protected = true
/// ```
///
/// Relative paths are relative to the folder holding the file. Unknown keys are errors.
public struct CairnConfig: Sendable, Equatable {
    /// One environment: a database and whether writing to it asks for its name.
    public struct Environment: Sendable, Equatable {
        public let name: String
        /// The database file, absolute.
        public let database: String
        /// True when writing actions ask the operator to type the environment's name.
        public let protected: Bool
    }

    /// The file read, or nil for the defaults.
    public let path: String?
    /// The seeds folder, absolute.
    public let seeds: String
    /// The console theme's name.
    public let theme: String
    /// The environment used when none is named.
    public let defaultEnvironment: String?
    /// The environments, in file order.
    public let environments: [Environment]

    /// The file name looked for in the working directory.
    public static let fileName = "cairn.toml"

    /// The configuration when there is no file: `./seeds`, the default theme, no environments.
    public static func defaults(in directory: String = FileManager.default.currentDirectoryPath) -> CairnConfig {
        CairnConfig(
            path: nil, seeds: URL(fileURLWithPath: directory).appendingPathComponent("seeds").path, theme: "default",
            defaultEnvironment: nil, environments: [])
    }

    /// Reads `cairn.toml` from `directory` when it exists, else returns the defaults.
    public static func load(from directory: String = FileManager.default.currentDirectoryPath) throws -> CairnConfig {
        let path = URL(fileURLWithPath: directory).appendingPathComponent(fileName).path
        guard FileManager.default.fileExists(atPath: path) else { return defaults(in: directory) }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(path: path, message: "cannot be read as UTF-8 text")
        }
        return try parse(text, path: path)
    }

    /// Parses configuration text; `path` names the file in errors and anchors relative paths.
    public static func parse(_ text: String, path: String) throws -> CairnConfig {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(
                path: path, message: "is not valid TOML: \(error.description) (line \(error.source.begin.line), column \(error.source.begin.column))")
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        func resolve(_ value: String) -> String {
            value.hasPrefix("/") ? value : base.appendingPathComponent(value).standardizedFileURL.path
        }
        let known = ["seeds", "theme", "default_environment", "environments"]
        for key in table.keys where !known.contains(key) {
            throw ConfigError(path: path, message: "unknown key '\(key)'", hint: "known keys: \(known.joined(separator: ", "))")
        }
        let seeds = try string(table, "seeds", path: path).map(resolve) ?? base.appendingPathComponent("seeds").path
        let theme = try string(table, "theme", path: path) ?? "default"
        let defaultEnvironment = try string(table, "default_environment", path: path)
        var environments: [Environment] = []
        if let value = table["environments"] {
            guard let section = value.table else {
                throw ConfigError(path: path, message: "'environments' must be a table of [environments.NAME] sections")
            }
            for name in section.keys {
                guard let entry = section[name]?.table else {
                    throw ConfigError(path: path, message: "environment '\(name)' must be a table with a 'database' key")
                }
                for key in entry.keys where !["database", "protected"].contains(key) {
                    throw ConfigError(
                        path: path, message: "unknown key '\(key)' in [environments.\(name)]", hint: "known keys: database, protected")
                }
                guard let database = entry["database"]?.string, !database.isEmpty else {
                    throw ConfigError(path: path, message: "[environments.\(name)] needs `database = \"path\"`")
                }
                var protected = false
                if let flag = entry["protected"] {
                    guard let bool = flag.bool else {
                        throw ConfigError(path: path, message: "'protected' in [environments.\(name)] must be true or false")
                    }
                    protected = bool
                }
                if StoreOpener.isServer(database) {
                    do {
                        _ = try PostgresURL(database, environment: [:])
                    } catch let error as PostgresURLError {
                        throw ConfigError(path: path, message: "[environments.\(name)]: \(error.summary)", hint: error.remedy)
                    }
                }
                environments.append(Environment(
                    name: name, database: StoreOpener.isServer(database) ? database : resolve(database), protected: protected))
            }
        }
        if let defaultEnvironment, !environments.contains(where: { $0.name == defaultEnvironment }) {
            throw ConfigError(
                path: path, message: "default_environment '\(defaultEnvironment)' is not one of the environments",
                hint: "known: \(environments.map(\.name).joined(separator: ", "))")
        }
        return CairnConfig(
            path: path, seeds: seeds, theme: theme, defaultEnvironment: defaultEnvironment, environments: environments)
    }

    /// The environment named `name`.
    ///
    /// - Throws: `ConfigError` listing the known environments when there is none by that name.
    public func environment(named name: String) throws -> Environment {
        guard let environment = environments.first(where: { $0.name == name }) else {
            throw ConfigError(
                path: path ?? CairnConfig.fileName, message: "no environment '\(name)'",
                hint: environments.isEmpty
                    ? "add an [environments.\(name)] section with a database, or pass --db PATH"
                    : "known: \(environments.map(\.name).joined(separator: ", "))")
        }
        return environment
    }

    /// The environment to use when none is named: `default_environment`, or the only one.
    public var implicitEnvironment: Environment? {
        if let defaultEnvironment { return environments.first { $0.name == defaultEnvironment } }
        return environments.count == 1 ? environments[0] : nil
    }

    private static func string(_ table: TOMLTable, _ key: String, path: String) throws -> String? {
        guard let value = table[key] else { return nil }
        guard let string = value.string else {
            throw ConfigError(path: path, message: "'\(key)' must be a string")
        }
        return string
    }
}

/// A problem with `cairn.toml` or with the environment it names.
public struct ConfigError: ExplainedError, Sendable, Equatable {
    /// The configuration file.
    public let path: String
    /// What is wrong.
    public let message: String
    /// What to do.
    public let hint: String?

    /// Creates a configuration error.
    public init(path: String, message: String, hint: String? = nil) {
        self.path = path
        self.message = message
        self.hint = hint
    }

    public var summary: String { "\(path): \(message)" }
    public var remedy: String? { hint }

    public var exitCode: Int32 { CairnExit.usage }
}
