import CairnStore
import Foundation

/// A PostgreSQL connection URL, `postgres://USER[:PASSWORD]@HOST[:PORT]/DBNAME[?sslmode=…]`,
/// parsed, with the password kept out of everything it prints.
///
/// `postgresql://` is accepted too. The password may come from the URL or from
/// `PGPASSWORD`; `description` and `redacted` never contain it, so messages, run
/// records and the console show the URL without it.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    /// How a connection uses TLS, as libpq's `sslmode` names it.
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Never TLS.
        case disable
        /// TLS when the server offers it (libpq's `allow` is taken as `prefer`).
        case allow
        /// TLS when the server offers it, else plain: libpq's default.
        case prefer
        /// TLS or no connection; the certificate is not checked.
        case require
        /// TLS, with a certificate signed by an authority the system trusts; the host name is not checked.
        case verifyCA = "verify-ca"
        /// TLS, with a trusted certificate issued for the host name.
        case verifyFull = "verify-full"
    }

    /// The user to connect as.
    public let user: String
    /// The password, from the URL or `PGPASSWORD`; never printed.
    public let password: String?
    /// The server's host name or address.
    public let host: String
    /// The server's port.
    public let port: Int
    /// The database's name.
    public let database: String
    /// How the connection uses TLS.
    public let tls: TLSMode

    /// True when `text` names a PostgreSQL database rather than a file: it starts with
    /// `postgres:` or `postgresql:` (any case, after spaces), or holds `://` at all — so a
    /// URL with a typo is refused as a URL, never taken for a file whose name holds the password.
    public static func isPostgres(_ text: String) -> Bool {
        let lower = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return lower.hasPrefix("postgres:") || lower.hasPrefix("postgresql:") || lower.contains("://")
    }

    /// Parses `text`; the password falls back to `environment["PGPASSWORD"]`.
    ///
    /// - Throws: `PostgresURLError` saying what is wrong with the URL (without its password).
    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let shown = PostgresURL.redact(text)
        if text.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7f }) {
            throw PostgresURLError(url: shown.visibleControls, problem: "it holds spaces or control characters; a URL has none (percent-encode them)")
        }
        let lower = text.lowercased()
        guard lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://"), let components = URLComponents(string: text) else {
            throw PostgresURLError(url: shown, problem: "it is not a URL of the form postgres://USER[:PASSWORD]@HOST[:PORT]/DBNAME")
        }
        guard let user = components.user?.removingPercentEncoding, !user.isEmpty else {
            throw PostgresURLError(url: shown, problem: "it names no user (postgres://USER@HOST/DBNAME)")
        }
        guard var host = components.host?.removingPercentEncoding, !host.isEmpty else {
            throw PostgresURLError(url: shown, problem: "it names no host (postgres://USER@HOST/DBNAME)")
        }
        // An IPv6 address comes in brackets: [::1].
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if let port = components.port, !(1...65535).contains(port) {
            throw PostgresURLError(url: shown, problem: "the port \(port) is not one from 1 to 65535")
        }
        if user.contains("\u{0}") || host.contains("\u{0}") || components.path.removingPercentEncoding?.contains("\u{0}") == true {
            throw PostgresURLError(url: shown, problem: "it holds a NUL character (%00), which no user, host or database name can hold")
        }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard let database = path.removingPercentEncoding, !database.isEmpty, !database.contains("/") else {
            throw PostgresURLError(url: shown, problem: "it names no database (postgres://USER@HOST/DBNAME)")
        }
        var tls = TLSMode.prefer
        var seen = Set<String>()
        for item in components.queryItems ?? [] {
            if !seen.insert(item.name).inserted {
                throw PostgresURLError(url: shown, problem: "the parameter '\(item.name)' is given twice")
            }
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = TLSMode(rawValue: value) else {
                    throw PostgresURLError(
                        url: shown,
                        problem: "sslmode '\(item.value ?? "")' is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                tls = mode
            case "application_name", "connect_timeout":
                continue
            default:
                throw PostgresURLError(
                    url: shown, problem: "the parameter '\(item.name)' is not understood; Cairn reads sslmode only")
            }
        }
        self.user = user
        self.host = host
        self.port = components.port ?? 5432
        self.database = database
        self.tls = tls
        if components.fragment != nil {
            throw PostgresURLError(url: shown, problem: "it ends in a #fragment, which a database URL has no use for")
        }
        if let password = components.password?.removingPercentEncoding {
            self.password = password
        } else {
            self.password = environment["PGPASSWORD"]
        }
    }

    /// The URL without its password: safe to print, log and store.
    public var redacted: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let mode = tls == .prefer ? "" : "?sslmode=\(tls.rawValue)"
        return "postgres://\(PostgresURL.escape(user))@\(hostPart):\(port)/\(PostgresURL.escape(database))\(mode)"
    }

    public var description: String { redacted }

    /// `text` with whatever stands between `user:` and `@` replaced by `***`, for messages about a URL
    /// that may not parse.
    public static func redact(_ text: String) -> String {
        guard let scheme = text.range(of: "://") else {
            // Not even a URL: whatever stands before the last @ may hold a password.
            guard let at = text.lastIndex(of: "@") else { return text }
            let prefix = text.firstIndex(of: ":").map { String(text[...$0]) } ?? ""
            return prefix + "***" + text[at...]
        }
        let rest = text[scheme.upperBound...]
        guard let at = rest.lastIndex(of: "@") else { return text }
        let userInfo = rest[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return text }
        return String(text[..<scheme.upperBound]) + userInfo[..<colon] + ":***" + rest[at...]
    }

    private static func escape(_ text: String) -> String {
        var allowed = CharacterSet.urlUserAllowed
        allowed.remove(charactersIn: ":@/?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// A PostgreSQL URL that cannot be used, found before anything connects.
public struct PostgresURLError: ExplainedError, Equatable {
    /// The URL, without its password.
    public let url: String
    /// What is wrong with it.
    public let problem: String

    public var summary: String { "the database URL \(url) cannot be used: \(problem)" }
    public var remedy: String? {
        "write it as postgres://USER[:PASSWORD]@HOST[:PORT]/DBNAME[?sslmode=require], or give the password in PGPASSWORD"
    }
    public var exitCode: Int32 { CairnExit.usage }
}

extension PostgresURL {
    /// The same server, user, password and TLS, for another database (tools that make databases of their own).
    package func database(_ name: String) -> PostgresURL {
        PostgresURL(user: user, password: password, host: host, port: port, database: name, tls: tls)
    }

    /// The URL as text with its password, for a child process to connect with: never print it.
    package var connectionString: String {
        let escape = { (text: String) in
            text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
        }
        let secret = password.map { ":\(escape($0))" } ?? ""
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(escape(user))\(secret)@\(hostPart):\(port)/\(escape(database))?sslmode=\(tls.rawValue)"
    }

    /// Runs one administrative statement (`CREATE DATABASE … TEMPLATE …`, `DROP DATABASE …`) on
    /// this database; a copy whose template still has a closing connection on it is tried again
    /// for a few seconds.
    package func administer(_ sql: String, applicationName: String = "cairn") throws {
        let session = try PostgresSession(url: self, applicationName: applicationName)
        defer { session.close() }
        var attempt = 0
        while true {
            do {
                try session.execute(sql)
                return
            } catch {
                let explained = PostgresStoreError(error, url: self, operation: sql)
                attempt += 1
                guard explained.sqlState == "55006", attempt < 50 else { throw explained }
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
    }

    private init(user: String, password: String?, host: String, port: Int, database: String, tls: TLSMode) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
        self.tls = tls
    }
}
