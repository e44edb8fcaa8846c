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
    /// The column definitions on PostgreSQL, when they differ (`jsonb` for a JSON column); nil for `columns`.
    public let postgresColumns: String?

    /// Describes a read table; `postgresColumns` gives PostgreSQL's column definitions where
    /// they differ from `columns` (say `roles jsonb` for a column SQLite keeps as JSON text).
    public init(name: String, columns: String, primaryKey: [String], indexes: [[String]] = [], postgresColumns: String? = nil) {
        self.name = name
        self.columns = columns
        self.primaryKey = primaryKey
        self.indexes = indexes
        self.postgresColumns = postgresColumns
    }

    /// The statements that create the table under `tableName`, with its indexes.
    public func createStatements(as tableName: String) -> [String] {
        createStatements(as: tableName, columns: columns)
    }

    /// The statements that create the table under `tableName` with `columns`, with its indexes.
    package func createStatements(as tableName: String, columns: String) -> [String] {
        var statements = ["CREATE TABLE IF NOT EXISTS \(tableName) (\(columns))"]
        for index in indexes {
            statements.append(
                "CREATE INDEX IF NOT EXISTS \(tableName)_by_\(index.joined(separator: "_"))"
                    + " ON \(tableName)(\(index.joined(separator: ", ")))")
        }
        return statements
    }
}

/// What a projection gets to apply an event: the read model inside the append's
/// transaction and the table names to write.
public struct ProjectionContext: ReadModel {
    /// The read model inside the append's transaction.
    private let model: any ReadModel
    /// GRDB's connection when the store is SQLite.
    private let sqlite: Database?
    private let tableNames: [String: String]
    /// A rebuild's meter of full scans; GRDB's connection handed out counts as one, since
    /// its statements are not measured.
    private let meter: ScanMeter?

    /// GRDB's connection, inside the append's transaction, for SQLite-only code.
    ///
    /// Using it needs `import GRDB` and GRDB in your own `Package.swift`
    /// (`.package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0")`), and ties the
    /// projection to SQLite: on a PostgreSQL store, asking for it stops the process. The
    /// context's own `execute`/`fetchAll`/`fetchOne` need neither and run on both stores.
    public var db: Database {
        guard let sqlite else {
            preconditionFailure(
                "ProjectionContext.db is GRDB's SQLite connection, and this store is not SQLite:"
                    + " write the projection with context.execute/fetchAll/fetchOne")
        }
        meter?.fullScanSteps += 1
        return sqlite
    }

    /// Creates a context on SQLite; `tableNames` maps a read table's name to the table to write (for rebuilds).
    /// `direct` runs the statements through SQLite's C API, for a transaction without GRDB observers;
    /// `meter` counts their full scans; `memo`, made for the transaction, keeps their statements.
    package init(
        db: Database, tableNames: [String: String] = [:], direct: Bool = false, meter: ScanMeter? = nil,
        memo: StatementMemo? = nil
    ) {
        self.model = SQLiteReadModel(db, direct: direct, meter: meter, memo: memo)
        self.sqlite = db
        self.tableNames = tableNames
        self.meter = meter
    }

    /// Creates a context over another store's read model.
    package init(model: any ReadModel, tableNames: [String: String] = [:]) {
        self.model = model
        self.sqlite = nil
        self.tableNames = tableNames
        self.meter = nil
    }

    /// The name of the table to write for the read table `name`.
    public func table(_ name: String) -> String {
        tableNames[name] ?? name
    }

    /// Runs a read-model statement in the transaction; `?` placeholders take `values` in order.
    public func execute(_ sql: String, _ values: [any SQLValueConvertible]) throws {
        try model.execute(sql, values)
    }

    /// The rows a read-model query returns, as the transaction sees them (its own writes included).
    public func fetchAll(_ sql: String, _ values: [any SQLValueConvertible]) throws -> [SQLRow] {
        try model.fetchAll(sql, values)
    }

    /// The first row a read-model query returns, if any, as the transaction sees them.
    public func fetchOne(_ sql: String, _ values: [any SQLValueConvertible]) throws -> SQLRow? {
        try model.fetchOne(sql, values)
    }
}
