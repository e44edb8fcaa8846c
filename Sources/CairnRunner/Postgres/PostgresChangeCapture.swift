import CairnPostgres
import CairnStore
import Foundation

/// Records the read-model changes of a PostgreSQL transaction for a preview, without
/// triggers or table locks.
///
/// When the capture begins, each table is copied into a temporary table of the
/// transaction (`CREATE TEMPORARY TABLE … AS SELECT`, which only reads the table, as any
/// query does); the changes are then the rows where the copy and the table differ,
/// joined on the primary key on the server, so only changed rows come back. The
/// temporary tables go with the transaction, which a preview always rolls back.
final class PostgresChangeCapture: ChangeCapture {
    private let store: PostgresStore
    private let session: PostgresSession
    /// Each table with its copy, its primary key and its columns in order.
    private var tables: [(name: String, copy: String, key: [String], columns: [String])] = []
    private static let counter = Counter()

    init(store: PostgresStore, session: PostgresSession, tables names: [String]) throws {
        self.store = store
        self.session = session
        try store.translating("copying the read tables for the preview's diff") {
            for name in names.sorted() {
                let copy = "cairn_before_\(PostgresChangeCapture.counter.next())"
                let columns = try session.rows(
                    """
                    SELECT attname FROM pg_attribute
                    WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum
                    """,
                    [.text(name)]
                ).compactMap { $0.values.first?.string }
                let key = try session.rows(
                    """
                    SELECT a.attname FROM pg_index i
                    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
                    WHERE i.indrelid = to_regclass($1) AND i.indisprimary
                    ORDER BY array_position(i.indkey::int2[], a.attnum)
                    """,
                    [.text(name)]
                ).compactMap { $0.values.first?.string }
                try session.execute(
                    "CREATE TEMPORARY TABLE \(copy) ON COMMIT DROP AS SELECT * FROM \(PostgresSQL.identifier(name))")
                tables.append((name, copy, key.isEmpty ? columns : key, columns))
            }
        }
    }

    func changes() throws -> [RowChange] {
        try changes(limit: Int.max).shown
    }

    func changes(limit: Int) throws -> (shown: [RowChange], total: Int, byTable: [String: ChangeTally]) {
        var shown: [RowChange] = []
        var total = 0
        var byTable: [String: ChangeTally] = [:]
        for table in tables {
            let join = table.key.map { "a.\(PostgresSQL.identifier($0)) = b.\(PostgresSQL.identifier($0))" }
                .joined(separator: " AND ")
            let rows = try store.translating("comparing \(table.name) with its state before") {
                try session.rows(
                    """
                    SELECT to_jsonb(b)::text, to_jsonb(a)::text FROM \(table.copy) b
                    FULL OUTER JOIN \(PostgresSQL.identifier(table.name)) a ON \(join)
                    WHERE to_jsonb(a) IS DISTINCT FROM to_jsonb(b)
                    """)
            }
            var changes: [RowChange] = []
            for row in rows {
                let old = row.values[0].string.flatMap { try? JSONValue(parsing: $0) }?.objectValue
                let new = row.values[1].string.flatMap { try? JSONValue(parsing: $0) }?.objectValue
                let side = new ?? old ?? [:]
                let keyValues = table.key.map { side[$0] ?? .null }
                let key: JSONValue = keyValues.count == 1
                    ? keyValues[0] : .object(Dictionary(uniqueKeysWithValues: zip(table.key, keyValues)))
                var fields: [String: RowChange.Field] = [:]
                let kind: RowChange.Kind
                if let old, let new {
                    kind = .update
                    for column in table.columns where old[column] != new[column] {
                        fields[column] = RowChange.Field(old: old[column] ?? .null, new: new[column] ?? .null)
                    }
                } else if let new {
                    kind = .insert
                    for column in table.columns { fields[column] = RowChange.Field(old: nil, new: new[column] ?? .null) }
                } else {
                    kind = .delete
                    for column in table.columns { fields[column] = RowChange.Field(old: old?[column] ?? .null, new: nil) }
                }
                total += 1
                byTable[table.name, default: ChangeTally()].count(kind)
                changes.append(RowChange(table: table.name, key: key, kind: kind, fields: fields, columnOrder: table.columns))
            }
            changes.sort { $0.keyText < $1.keyText }
            for change in changes where shown.count < limit {
                shown.append(change)
            }
        }
        return (shown, total, byTable)
    }

    /// Numbers the copies, so two captures in one transaction never share a name.
    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0

        func next() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value
        }
    }
}
