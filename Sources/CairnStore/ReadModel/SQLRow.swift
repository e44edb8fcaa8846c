/// One row a read-model query returned: its values by column name, with typed accessors
/// that say which column is missing or of the wrong kind.
public struct SQLRow: Sendable, Hashable {
    /// The column names, in the query's order.
    public let columns: [String]
    /// The values, in the same order.
    public let values: [SQLValue]

    /// A row of `columns` and `values`.
    public init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The value of `column`, or nil when the query has no such column.
    public subscript(_ column: String) -> SQLValue? {
        columns.firstIndex(of: column).map { values[$0] }
    }

    /// The value of the column at `index`.
    public subscript(_ index: Int) -> SQLValue { values[index] }

    /// The text of `column`.
    ///
    /// - Throws: `ReadModelError` when the column is missing or not text.
    public func string(_ column: String) throws -> String {
        guard let value = self[column] else { throw ReadModelError.noColumn(column, columns: columns) }
        guard let text = value.string else { throw ReadModelError.wrongKind(column, expected: "text", found: value) }
        return text
    }

    /// The integer of `column`.
    ///
    /// - Throws: `ReadModelError` when the column is missing or not an integer.
    public func int(_ column: String) throws -> Int {
        guard let value = self[column] else { throw ReadModelError.noColumn(column, columns: columns) }
        guard let number = value.int else { throw ReadModelError.wrongKind(column, expected: "an integer", found: value) }
        return Int(number)
    }
}
