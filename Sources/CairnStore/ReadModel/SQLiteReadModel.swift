import Foundation
import GRDB

/// The read model on SQLite, over a GRDB connection; statements are cached on it.
package struct SQLiteReadModel: ReadModel {
    /// The connection, inside the caller's transaction.
    package let db: Database

    /// A read model over `db`.
    package init(_ db: Database) {
        self.db = db
    }

    package func execute(_ sql: String, _ values: [any SQLValueConvertible]) throws {
        try db.cachedStatement(sql: sql).execute(arguments: try Self.arguments(values))
    }

    package func fetchAll(_ sql: String, _ values: [any SQLValueConvertible]) throws -> [SQLRow] {
        let statement = try db.cachedStatement(sql: sql)
        let columns = statement.columnNames
        return try Row.fetchAll(statement, arguments: try Self.arguments(values)).map { row in
            SQLRow(columns: columns, values: (0..<row.count).map { Self.value(row[$0] as DatabaseValue) })
        }
    }

    package func fetchOne(_ sql: String, _ values: [any SQLValueConvertible]) throws -> SQLRow? {
        let statement = try db.cachedStatement(sql: sql)
        let columns = statement.columnNames
        return try Row.fetchOne(statement, arguments: try Self.arguments(values)).map { row in
            SQLRow(columns: columns, values: (0..<row.count).map { Self.value(row[$0] as DatabaseValue) })
        }
    }

    /// The values as GRDB arguments; text holding a NUL is refused, as GRDB would bind it cut short.
    package static func arguments(_ values: [any SQLValueConvertible]) throws -> StatementArguments {
        StatementArguments(try values.enumerated().map { index, value -> (any DatabaseValueConvertible)? in
            switch value.sqlValue {
            case .null: return nil
            case .int(let number): return number
            case .double(let number): return number
            case .text(let text):
                if text.holdsNUL { throw StoreError.textHoldsNUL(what: "argument \(index + 1) of a read-model statement") }
                return text
            case .blob(let bytes): return Data(bytes)
            }
        })
    }

    /// A GRDB value as a store-neutral one.
    package static func value(_ value: DatabaseValue) -> SQLValue {
        switch value.storage {
        case .null: return .null
        case .int64(let number): return .int(number)
        case .double(let number): return .double(number)
        case .string(let text): return .text(text)
        case .blob(let data): return .blob([UInt8](data))
        }
    }
}
