import CairnStore

/// One read-model row a migration changes: inserted, deleted, or updated field by field.
public struct RowChange: Sendable, Hashable {
    /// What happened to the row.
    public enum Kind: String, Sendable {
        case insert, update, delete
    }

    /// An old and a new value of one column; nil on the side where the row does not exist.
    public struct Field: Sendable, Hashable {
        public let old: JSONValue?
        public let new: JSONValue?
    }

    /// The read table.
    public let table: String
    /// The primary key: its value, or an object of values for a key of several columns.
    public let key: JSONValue
    public let kind: Kind
    /// The columns that change (all of them for inserts and deletes), by name.
    public let fields: [String: Field]
    /// The table's column order, to show fields in it.
    public let columnOrder: [String]

    /// The key as text, e.g. `m-17` or `{"a":1,"b":2}`.
    public var keyText: String {
        if case .string(let text) = key { return text }
        return key.jsonText
    }

    /// The changed fields in the table's column order.
    public var orderedFields: [(name: String, field: Field)] {
        columnOrder.compactMap { name in fields[name].map { (name, $0) } }
    }
}
