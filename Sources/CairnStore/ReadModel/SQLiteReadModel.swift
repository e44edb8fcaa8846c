import Foundation
import GRDB

/// The read model on SQLite, over a GRDB connection; statements are cached on it.
package struct SQLiteReadModel: ReadModel {
    /// The connection, inside the caller's transaction.
    package let db: Database
    /// True when statements run through SQLite's C API (`DirectStatement`): inside a store
    /// transaction's appends, which no GRDB transaction observer watches.
    private let direct: Bool
    /// Where the full scans of direct statements are counted, for a rebuild.
    private let meter: ScanMeter?
    /// The statements the transaction's direct calls used last, when it keeps them.
    private let memo: StatementMemo?

    /// A read model over `db`; `direct` for a store transaction without GRDB observers;
    /// `meter` counts the full scans of its direct statements; `memo`, made for the
    /// transaction, finds their statements again without hashing the SQL.
    package init(_ db: Database, direct: Bool = false, meter: ScanMeter? = nil, memo: StatementMemo? = nil) {
        self.db = db
        self.direct = direct
        self.meter = meter
        self.memo = memo
    }

    /// Adds what `statement` scanned to the meter, if there is one.
    private func measure(_ statement: DirectStatement) {
        if let meter { meter.fullScanSteps += statement.takeFullScanSteps() }
    }

    package func execute(_ sql: String, _ values: [any SQLValueConvertible]) throws {
        if direct {
            let statement = try directStatement(sql, values)
            try statement.run()
            measure(statement)
            return
        }
        try db.cachedStatement(sql: sql).execute(arguments: try Self.arguments(values))
    }

    package func fetchAll(_ sql: String, _ values: [any SQLValueConvertible]) throws -> [SQLRow] {
        if direct {
            let statement = try directStatement(sql, values)
            let columns = statement.statement.columnNames
            var rows: [SQLRow] = []
            while try statement.step() {
                rows.append(SQLRow(columns: columns, values: (0..<Int32(columns.count)).map(statement.value)))
            }
            statement.finish()
            measure(statement)
            return rows
        }
        let statement = try db.cachedStatement(sql: sql)
        let columns = statement.columnNames
        return try Row.fetchAll(statement, arguments: try Self.arguments(values)).map { row in
            SQLRow(columns: columns, values: (0..<row.count).map { Self.value(row[$0] as DatabaseValue) })
        }
    }

    package func fetchOne(_ sql: String, _ values: [any SQLValueConvertible]) throws -> SQLRow? {
        if direct {
            let statement = try directStatement(sql, values)
            defer {
                statement.finish()
                measure(statement)
            }
            guard try statement.step() else { return nil }
            let columns = statement.statement.columnNames
            return SQLRow(columns: columns, values: (0..<Int32(columns.count)).map(statement.value))
        }
        let statement = try db.cachedStatement(sql: sql)
        let columns = statement.columnNames
        return try Row.fetchOne(statement, arguments: try Self.arguments(values)).map { row in
            SQLRow(columns: columns, values: (0..<row.count).map { Self.value(row[$0] as DatabaseValue) })
        }
    }

    /// The cached statement for `sql` with `values` bound, run through SQLite's C API.
    ///
    /// - Throws: `StoreError.textHoldsNUL` for text holding a NUL (SQLite would keep it, GRDB
    ///   would cut it short: both stores refuse it); `DatabaseError` for a statement SQLite
    ///   cannot prepare or that takes another number of values.
    private func directStatement(_ sql: String, _ values: [any SQLValueConvertible]) throws -> DirectStatement {
        let statement = try memo.map { try DirectStatement(db, statement: $0.statement(sql, in: db)) }
            ?? DirectStatement(db, sql: sql)
        let expected = statement.parameterCount
        guard expected == values.count else {
            throw DatabaseError(
                resultCode: .SQLITE_MISUSE, message: "wrong number of statement arguments: \(values.count)", sql: sql)
        }
        for (index, value) in values.enumerated() {
            let value = value.sqlValue
            if case .text(let text) = value, text.holdsNUL {
                throw StoreError.textHoldsNUL(what: "argument \(index + 1) of a read-model statement")
            }
            statement.bind(Int32(index + 1), value)
        }
        return statement
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
