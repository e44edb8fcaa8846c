/// Reads and writes read-model tables with plain SQL and `?` placeholders, without
/// any store's own types, so handlers and projections are written once for every store.
///
/// Use SQL both SQLite and PostgreSQL accept — `INSERT … ON CONFLICT (…) DO UPDATE`,
/// not `INSERT OR REPLACE`; `?` placeholders, which each store binds its own way.
/// SQLite-specific code may still reach GRDB's `Database` (`HandlerContext.db`,
/// `ProjectionContext.db`); a domain that does only runs on SQLite.
public protocol ReadModel {
    /// Runs a statement that returns no rows.
    func execute(_ sql: String, _ values: [any SQLValueConvertible]) throws
    /// The rows a query returns.
    func fetchAll(_ sql: String, _ values: [any SQLValueConvertible]) throws -> [SQLRow]
    /// The first row a query returns, if any.
    func fetchOne(_ sql: String, _ values: [any SQLValueConvertible]) throws -> SQLRow?
}

extension ReadModel {
    /// Runs a statement without values.
    public func execute(_ sql: String) throws {
        try execute(sql, [])
    }

    /// The rows a query without values returns.
    public func fetchAll(_ sql: String) throws -> [SQLRow] {
        try fetchAll(sql, [])
    }

    /// The first row a query without values returns, if any.
    public func fetchOne(_ sql: String) throws -> SQLRow? {
        try fetchOne(sql, [])
    }

    /// The first column of the first row, or nil when the query returns no row.
    public func scalar(_ sql: String, _ values: [any SQLValueConvertible] = []) throws -> SQLValue? {
        try fetchOne(sql, values)?.values.first
    }

    /// True when the query returns at least one row.
    public func exists(_ sql: String, _ values: [any SQLValueConvertible] = []) throws -> Bool {
        try fetchOne(sql, values) != nil
    }
}
