import CairnStore
import Foundation
import TOMLKit

/// The console's colours: a `ColorSpec` per semantic role, built in (`BuiltInThemes`) or read from `themes/NAME.toml`.
///
/// ```toml
/// name = "default"
/// [roles]
/// applied = "green"
/// selection = { fg = "black", bg = "cyan", bold = true }
/// log-debug = 244
/// ```
///
/// Colours are names (`red`, `bright-blue`, ...) or 256-colour numbers. Roles a
/// theme leaves out keep the built-in look; unknown roles and bad values are errors.
public struct Theme: Sendable, Equatable {
    public let name: String
    public private(set) var roles: [StyleRole: ColorSpec]

    /// A theme from its roles, on top of the attributes every role has without colour.
    public init(name: String, roles: [StyleRole: ColorSpec]) {
        self.name = name
        var merged = Theme.attributes
        for (role, spec) in roles { merged[role] = spec }
        self.roles = merged
    }

    /// The look of `role`.
    public func spec(_ role: StyleRole) -> ColorSpec {
        roles[role] ?? ColorSpec()
    }

    /// Attributes that carry meaning without colour (`NO_COLOR`, `mono`): selection is reversed, titles bold...
    static let attributes: [StyleRole: ColorSpec] = [
        .title: ColorSpec(bold: true), .selection: ColorSpec(reverse: true), .failed: ColorSpec(bold: true),
        .drift: ColorSpec(bold: true), .missing: ColorSpec(bold: true), .dim: ColorSpec(dim: true),
        .hintKey: ColorSpec(bold: true), .hintDisabled: ColorSpec(dim: true), .error: ColorSpec(bold: true),
        .buttonFocused: ColorSpec(reverse: true), .input: ColorSpec(underline: true), .match: ColorSpec(reverse: true),
        .banner: ColorSpec(bold: true), .logError: ColorSpec(bold: true), .logDebug: ColorSpec(dim: true),
        .diffRemove: ColorSpec(dim: false), .accent: ColorSpec(bold: true),
        .focus: ColorSpec(bold: true, reverse: true), .danger: ColorSpec(bold: true, reverse: true),
    ]

    /// The built-in theme, used when no theme file is found.
    public static let builtIn = Theme(name: "built-in", roles: [
        .applied: ColorSpec(foreground: 2), .pending: ColorSpec(foreground: 6), .failed: ColorSpec(foreground: 1, bold: true),
        .skipped: ColorSpec(foreground: 3), .drift: ColorSpec(foreground: 5, bold: true),
        .missing: ColorSpec(foreground: 5, bold: true), .selection: ColorSpec(foreground: 0, background: 6),
        .diffAdd: ColorSpec(foreground: 2), .diffRemove: ColorSpec(foreground: 1), .diffChange: ColorSpec(foreground: 3),
        .logDebug: ColorSpec(foreground: 8), .logWarning: ColorSpec(foreground: 3), .logError: ColorSpec(foreground: 1, bold: true),
        .border: ColorSpec(foreground: 8), .title: ColorSpec(bold: true), .hint: ColorSpec(foreground: 8),
        .hintKey: ColorSpec(foreground: 6, bold: true), .hintDisabled: ColorSpec(foreground: 8, dim: true),
        .accent: ColorSpec(foreground: 6, bold: true), .error: ColorSpec(foreground: 1, bold: true),
        .button: ColorSpec(), .buttonFocused: ColorSpec(foreground: 0, background: 6, bold: true),
        .input: ColorSpec(underline: true), .match: ColorSpec(foreground: 0, background: 3),
        .banner: ColorSpec(foreground: 5, bold: true), .dim: ColorSpec(foreground: 8),
        .focus: ColorSpec(foreground: 0, background: 6, bold: true), .danger: ColorSpec(foreground: 15, background: 1, bold: true),
    ])

    /// Loads theme `name`: `NAME.toml` from the first of `directories` that has it (beside
    /// `cairn.toml`, then the working folder's `themes/`), else the built-in theme of that
    /// name (`default`, `light`, `high-contrast`, `mono`). A file overrides a built-in one.
    ///
    /// - Throws: `ThemeError` naming the file (and line) when it is wrong, or listing the
    ///   themes there are when none has that name.
    public static func load(named name: String, directories: [String]) throws -> Theme {
        for directory in directories {
            let path = URL(fileURLWithPath: directory).appendingPathComponent("\(name).toml").path
            guard FileManager.default.fileExists(atPath: path) else { continue }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ThemeError(path: path, message: "cannot be read as UTF-8 text")
            }
            return try parse(text, path: path)
        }
        if let text = BuiltInThemes.sources[name] {
            return try parse(text, path: "built-in theme \(name)")
        }
        var available = Set(BuiltInThemes.names)
        for directory in directories {
            for file in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where file.hasSuffix(".toml") {
                available.insert(String(file.dropLast(5)))
            }
        }
        let places = directories.map { "\($0)/NAME.toml" }
        throw ThemeError(
            path: "theme '\(name)'", message: "no such theme",
            hint: "available: \(available.sorted().joined(separator: ", "))"
                + (places.isEmpty ? "" : "; add one as \(places.joined(separator: " or "))"))
    }

    /// The names of the themes there are: the built-in ones and any `NAME.toml` in `directories`.
    public static func available(directories: [String]) -> [String] {
        var names = BuiltInThemes.names
        for directory in directories {
            for file in ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted() where file.hasSuffix(".toml") {
                let name = String(file.dropLast(5))
                if !names.contains(name) { names.append(name) }
            }
        }
        return names
    }

    /// Loads theme `name` from `directory` or the built-in ones (see `load(named:directories:)`).
    public static func load(named name: String, directory: String) throws -> Theme {
        try load(named: name, directories: [directory])
    }

    /// Parses theme text; `path` names the file in errors.
    public static func parse(_ text: String, path: String) throws -> Theme {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ThemeError(path: path, message: "is not valid TOML: \(error.description) (line \(error.source.begin.line), column \(error.source.begin.column))")
        }
        for key in table.keys where !["name", "roles"].contains(key) {
            throw ThemeError(path: path, message: "unknown key '\(key)'", hint: "a theme has `name` and a [roles] table")
        }
        let name = table["name"]?.string ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        var roles = builtIn.roles
        if let value = table["roles"] {
            guard let section = value.table else { throw ThemeError(path: path, message: "[roles] must be a table") }
            for key in section.keys {
                guard let role = StyleRole(rawValue: key) else {
                    throw ThemeError(path: path, message: "unknown role '\(key)'",
                                     hint: "roles: \(StyleRole.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                roles[role] = try spec(section[key]!, role: key, path: path)
            }
        }
        return Theme(name: name, roles: roles)
    }

    private static func spec(_ value: TOMLValueConvertible, role: String, path: String) throws -> ColorSpec {
        var spec = attributes[StyleRole(rawValue: role)!] ?? ColorSpec()
        if value.string != nil || value.int != nil {
            spec.foreground = try color(value, role: role, path: path)
            return spec
        }
        guard let table = value.table else {
            throw ThemeError(path: path, message: "role '\(role)' must be a colour or a table { fg, bg, bold, reverse, underline, dim }")
        }
        for key in table.keys {
            let entry = table[key]!
            switch key {
            case "fg": spec.foreground = try color(entry, role: role, path: path)
            case "bg": spec.background = try color(entry, role: role, path: path)
            case "bold", "reverse", "underline", "dim":
                guard let flag = entry.bool else {
                    throw ThemeError(path: path, message: "'\(key)' of role '\(role)' must be true or false")
                }
                switch key {
                case "bold": spec.bold = flag
                case "reverse": spec.reverse = flag
                case "underline": spec.underline = flag
                default: spec.dim = flag
                }
            default:
                throw ThemeError(path: path, message: "unknown key '\(key)' in role '\(role)'", hint: "keys: fg, bg, bold, reverse, underline, dim")
            }
        }
        return spec
    }

    private static func color(_ value: TOMLValueConvertible, role: String, path: String) throws -> Int? {
        if let number = value.int {
            guard (0...255).contains(number) else {
                throw ThemeError(path: path, message: "colour \(number) of role '\(role)' is not in 0–255")
            }
            return number
        }
        if let name = value.string {
            if name == "default" { return nil }
            guard let index = ColorSpec.names[name] else {
                throw ThemeError(path: path, message: "unknown colour '\(name)' for role '\(role)'",
                                 hint: "use a name (\(ColorSpec.names.keys.sorted().joined(separator: ", "))) or 0–255")
            }
            return index
        }
        throw ThemeError(path: path, message: "the colour of role '\(role)' must be a name or a number")
    }
}

/// A problem with a theme file.
public struct ThemeError: ExplainedError, Sendable {
    public let path: String
    public let message: String
    public var hint: String? = nil

    public var summary: String { "\(path): \(message)" }
    public var remedy: String? { hint }

    public var exitCode: Int32 { CairnExit.usage }
}
