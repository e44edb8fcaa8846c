import GRDB

/// The SQLite side of a store transaction: the `events` statements over GRDB,
/// cached on the connection.
final class SQLiteTransactionBackend: TransactionBackend {
    let db: Database

    init(db: Database) {
        self.db = db
    }

    var readModel: any ReadModel { SQLiteReadModel(db) }

    var sqliteDatabase: Database? { db }

    func streamEvents(_ id: String, tenant: String) throws -> [StoredEvent] {
        // A cursor reads each row in place; fetchAll would copy every row first.
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: "SELECT \(StoredEvent.columns) FROM events WHERE stream_id = ? AND tenant_id = ? ORDER BY version"),
            arguments: [id, tenant])
        var events: [StoredEvent] = []
        while let row = try rows.next() {
            events.append(StoredEvent(row: row))
        }
        return events
    }

    func streamHead(_ id: String) throws -> StreamHead? {
        let latest = try Row.fetchCursor(
            db.cachedStatement(
                sql: "SELECT version, tenant_id, stream_type FROM events WHERE stream_id = ? ORDER BY version DESC LIMIT 1"),
            arguments: [id])
        guard let row = try latest.next() else { return nil }
        return StreamHead(version: row[0], tenant: row[1], type: row[2])
    }

    func headPosition() throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT max(position) FROM events") ?? 0
    }

    func insertEvent(_ row: EventRow) throws -> Int64? {
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO events (stream_id, stream_type, tenant_id, version, type, schema_version,
                                    payload, metadata, recorded_at, migration_id, run_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        do {
            try insert.execute(arguments: [
                row.streamId, row.streamType, row.tenant, row.version, row.type, row.schemaVersion,
                row.payload, row.metadata, row.recordedAt, row.migrationId, row.runId,
            ])
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            return nil
        }
        return db.lastInsertedRowID
    }

    func savepoint(_ body: () throws -> Void) throws {
        try db.inSavepoint {
            try body()
            return .commit
        }
    }

    func projectionContext(tableNames: [String: String]) -> ProjectionContext {
        ProjectionContext(db: db, tableNames: tableNames)
    }

    var ledger: any LedgerWriting { SQLiteLedger(db) }
}
