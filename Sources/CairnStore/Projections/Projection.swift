import GRDB

/// Application code that folds events into read-model tables, inline with every append.
///
/// Projections run in the same transaction as the append, so read tables are
/// always consistent with the events. A projection writes only through the
/// table names its context gives it, so a rebuild can direct it at fresh tables.
public protocol Projection: Sendable {
    /// The projection's name, conventionally the name of its main read table.
    var name: String { get }
    /// The version of the projection's code; a change means its tables must be rebuilt.
    var version: Int { get }
    /// The read tables the projection owns.
    var tables: [ReadTable] { get }
    /// The event types the projection folds; other events are not passed to it.
    var eventTypes: Set<String> { get }
    /// Folds one event into the read tables.
    func apply(_ event: StoredEvent, in context: ProjectionContext) throws
}

/// A read-model table owned by a projection: its name, columns and indexes.
public struct ReadTable: Sendable, Hashable {
    /// The table's name.
    public let name: String
    /// The column definitions as they appear in `CREATE TABLE`, including the primary key.
    public let columns: String
    /// The primary-key columns, used to compare rows.
    public let primaryKey: [String]
    /// Extra indexes, each a list of columns.
    public let indexes: [[String]]

    /// Describes a read table.
    public init(name: String, columns: String, primaryKey: [String], indexes: [[String]] = []) {
        self.name = name
        self.columns = columns
        self.primaryKey = primaryKey
        self.indexes = indexes
    }

    /// The statements that create the table under `tableName`, with its indexes.
    public func createStatements(as tableName: String) -> [String] {
        var statements = ["CREATE TABLE IF NOT EXISTS \(tableName) (\(columns))"]
        for index in indexes {
            statements.append(
                "CREATE INDEX IF NOT EXISTS \(tableName)_by_\(index.joined(separator: "_"))"
                    + " ON \(tableName)(\(index.joined(separator: ", ")))")
        }
        return statements
    }
}

/// What a projection gets to apply an event: the database and its table names.
public struct ProjectionContext: ReadModel {
    /// GRDB's connection, inside the append's transaction, for SQLite-only code.
    ///
    /// Using it needs `import GRDB` and GRDB in your own `Package.swift`
    /// (`.package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0")`), and ties the
    /// projection to SQLite; the context's own `execute`/`fetchAll`/`fetchOne` need neither.
    public let db: Database
    private let tableNames: [String: String]

    /// Creates a context; `tableNames` maps a read table's name to the table to write (for rebuilds).
    package init(db: Database, tableNames: [String: String] = [:]) {
        self.db = db
        self.tableNames = tableNames
    }

    /// The name of the table to write for the read table `name`.
    public func table(_ name: String) -> String {
        tableNames[name] ?? name
    }

    /// Runs a read-model statement in the transaction; `?` placeholders take `values` in order.
    public func execute(_ sql: String, _ values: [any SQLValueConvertible]) throws {
        try SQLiteReadModel(db).execute(sql, values)
    }

    /// The rows a read-model query returns, as the transaction sees them (its own writes included).
    public func fetchAll(_ sql: String, _ values: [any SQLValueConvertible]) throws -> [SQLRow] {
        try SQLiteReadModel(db).fetchAll(sql, values)
    }

    /// The first row a read-model query returns, if any, as the transaction sees them.
    public func fetchOne(_ sql: String, _ values: [any SQLValueConvertible]) throws -> SQLRow? {
        try SQLiteReadModel(db).fetchOne(sql, values)
    }
}
