import CairnPostgres
import CairnStore
import Foundation

/// Opens the store a database string names: a `postgres://` (or `postgresql://`) URL
/// opens PostgreSQL, anything else is an SQLite file's path.
///
/// Everything that takes a database — `--db`, `database =` in `cairn.toml`,
/// `Cairn.boot` — opens it here, so both stores are reached the same way.
public enum StoreOpener {
    /// True when `database` names a PostgreSQL server rather than a file.
    public static func isServer(_ database: String) -> Bool {
        PostgresURL.isPostgres(database)
    }

    /// Opens the store `database` names.
    ///
    /// - Throws: `StoreError` for a file that cannot be used, `PostgresURLError` for a URL
    ///   that does not parse, `PostgresStoreError` for a server that cannot be reached.
    public static func open(
        _ database: String, domain: Domain, mode: EventStore.OpenMode = .existing, options: EventStore.Options = .init()
    ) throws -> any RunnerStore {
        if isServer(database) {
            return try PostgresStore(url: PostgresURL(database), domain: domain, mode: mode)
        }
        return try EventStore(path: database, domain: domain, mode: mode, options: options)
    }

    /// `database` as it may be shown, logged and stored: a URL without its password, a path as it is.
    public static func shown(_ database: String) -> String {
        guard isServer(database) else { return database }
        return (try? PostgresURL(database, environment: [:]).redacted) ?? PostgresURL.redact(database)
    }

    /// True when the two strings name the same database: the same server, port and
    /// database name for URLs; paths are compared by the caller.
    public static func sameServerDatabase(_ first: String, _ second: String) -> Bool {
        guard let one = try? PostgresURL(first, environment: [:]), let other = try? PostgresURL(second, environment: [:]) else {
            return false
        }
        return one.host.lowercased() == other.host.lowercased() && one.port == other.port && one.database == other.database
    }
}
