import GRDB

/// The SQLite side of a store transaction: the `events` statements, cached on GRDB's
/// connection and run through SQLite's C API (`DirectStatement`), as are the handlers'
/// and the inline projections' read-model statements.
final class SQLiteTransactionBackend: TransactionBackend {
    let db: Database

    init(db: Database) {
        self.db = db
    }

    /// The statements every append runs, looked up in GRDB's cache once per transaction and
    /// kept by `Hot`'s raw value (no hashing per event).
    private var statements = [Statement?](repeating: nil, count: Hot.allCases.count)

    /// The backend's own statements, one per slot of `statements`.
    private enum Hot: Int, CaseIterable { case load, head, insert, savepoint, rollBack, release }

    /// The cached statement `key` of this backend, `sql`, ready to bind.
    private func prepared(_ key: Hot, _ sql: @autoclosure () -> String) throws -> DirectStatement {
        if let cached = statements[key.rawValue] { return try DirectStatement(db, statement: cached) }
        let direct = try DirectStatement(db, sql: sql())
        statements[key.rawValue] = direct.statement
        return direct
    }

    /// The read-model statements the handlers and projections ran last in this transaction.
    private let memo = StatementMemo()

    var readModel: any ReadModel { SQLiteReadModel(db, direct: true, memo: memo) }

    var sqliteDatabase: Database? { db }

    func streamEvents(_ id: String, tenant: String) throws -> [StoredEvent] {
        let statement = try prepared(
            .load, "SELECT \(StoredEvent.columns) FROM events WHERE stream_id = ? AND tenant_id = ? ORDER BY version")
        statement.bind(1, id)
        statement.bind(2, tenant)
        var events: [StoredEvent] = []
        events.reserveCapacity(8)
        // The query matched stream_id and tenant_id byte for byte: the arguments are those
        // columns. The other repeated columns share the previous event's string when equal.
        var previous: StoredEvent?
        while try statement.step() {
            let event = StoredEvent(
                position: statement.int64(0), streamId: id, streamType: statement.text(2, reusing: previous?.streamType),
                tenantId: tenant, version: Int(statement.int64(4)), type: statement.text(5, reusing: previous?.type),
                schemaVersion: Int(statement.int64(6)), payload: statement.text(7),
                metadata: statement.text(8, reusing: previous?.metadata),
                recordedAt: statement.text(9, reusing: previous?.recordedAt))
            events.append(event)
            previous = event
        }
        statement.finish()
        return events
    }

    func streamHead(_ id: String) throws -> StreamHead? {
        let statement = try prepared(
            .head, "SELECT version, tenant_id, stream_type FROM events WHERE stream_id = ? ORDER BY version DESC LIMIT 1")
        statement.bind(1, id)
        defer { statement.finish() }
        guard try statement.step() else { return nil }
        return StreamHead(version: Int(statement.int64(0)), tenant: statement.text(1), type: statement.text(2))
    }

    func headPosition() throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT max(position) FROM events") ?? 0
    }

    func insertEvent(_ row: EventRow) throws -> Int64? {
        let insert = try prepared(
            .insert, """
                INSERT INTO events (stream_id, stream_type, tenant_id, version, type, schema_version,
                                    payload, metadata, recorded_at, migration_id, run_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        insert.bind(1, row.streamId)
        insert.bind(2, row.streamType)
        insert.bind(3, row.tenant)
        insert.bind(4, Int64(row.version))
        insert.bind(5, row.type)
        insert.bind(6, Int64(row.schemaVersion))
        insert.bind(7, row.payload)
        insert.bind(8, row.metadata)
        insert.bind(9, row.recordedAt)
        insert.bind(10, row.migrationId)
        if let runId = row.runId { insert.bind(11, runId) } else { insert.bind(11, SQLValue.null) }
        do {
            try insert.run()
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            return nil
        }
        return db.lastInsertedRowID
    }

    /// Runs `body` in a savepoint, through statements prepared once per transaction (a
    /// preview takes one per row; GRDB's `inSavepoint` parses its SQL every time).
    func savepoint(_ body: () throws -> Void) throws {
        try prepared(.savepoint, "SAVEPOINT cairn_row").run()
        do {
            try body()
        } catch {
            // Undone and released; the error says what went wrong, not the clean-up.
            try? prepared(.rollBack, "ROLLBACK TO SAVEPOINT cairn_row").run()
            try? prepared(.release, "RELEASE SAVEPOINT cairn_row").run()
            throw error
        }
        try prepared(.release, "RELEASE SAVEPOINT cairn_row").run()
    }

    func projectionContext(tableNames: [String: String]) -> ProjectionContext {
        ProjectionContext(db: db, tableNames: tableNames, direct: true, memo: memo)
    }

    var ledger: any LedgerWriting { SQLiteLedger(db) }
}
