import CairnStore
import GRDB

/// The PostgreSQL side of a store transaction: the `events` statements over one
/// session inside `BEGIN … COMMIT`.
///
/// An append never raises an error for a taken version (`ON CONFLICT DO NOTHING`
/// returns no row instead): on PostgreSQL an error aborts the whole transaction, and a
/// `VersionConflict` must leave it usable, as on SQLite.
package final class PostgresTransactionBackend: TransactionBackend {
    package let session: PostgresSession

    init(session: PostgresSession) {
        self.session = session
    }

    package var readModel: any ReadModel { PostgresReadModel(session: session) }

    package var sqliteDatabase: Database? { nil }

    package var ledger: any LedgerWriting { PostgresLedger(session: session) }

    /// The columns read for an event (its JSON comes back compact, see `PostgresValues`).
    package static let columns =
        "position, stream_id, stream_type, tenant_id, version, type, schema_version, payload, metadata, recorded_at"

    /// An event from a row selected with `columns`.
    package static func event(_ row: SQLRow) -> StoredEvent {
        let values = row.values
        return StoredEvent(
            position: values[0].int ?? 0, streamId: values[1].string ?? "", streamType: values[2].string ?? "",
            tenantId: values[3].string ?? "", version: Int(values[4].int ?? 0), type: values[5].string ?? "",
            schemaVersion: Int(values[6].int ?? 1), payload: values[7].string ?? "{}", metadata: values[8].string ?? "{}",
            recordedAt: values[9].string ?? "")
    }

    package func streamEvents(_ id: String, tenant: String) throws -> [StoredEvent] {
        try session.rows(
            "SELECT \(Self.columns) FROM events WHERE stream_id = $1 AND tenant_id = $2 ORDER BY version",
            [.text(id), .text(tenant)]
        ).map(Self.event)
    }

    package func streamHead(_ id: String) throws -> StreamHead? {
        guard let row = try session.rows(
            "SELECT version, tenant_id, stream_type FROM events WHERE stream_id = $1 ORDER BY version DESC LIMIT 1",
            [.text(id)]
        ).first else { return nil }
        return StreamHead(version: Int(row.values[0].int ?? 0), tenant: row.values[1].string ?? "", type: row.values[2].string ?? "")
    }

    package func headPosition() throws -> Int64 {
        try session.rows("SELECT coalesce(max(position), 0) FROM events").first?.values.first?.int ?? 0
    }

    package func insertEvent(_ row: EventRow) throws -> Int64? {
        try session.rows(
            """
            INSERT INTO events (stream_id, stream_type, tenant_id, version, type, schema_version,
                                payload, metadata, recorded_at, migration_id, run_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10, $11)
            ON CONFLICT (stream_id, version) DO NOTHING
            RETURNING position
            """,
            [
                .text(row.streamId), .text(row.streamType), .text(row.tenant), .int(Int64(row.version)), .text(row.type),
                .int(Int64(row.schemaVersion)), .text(row.payload), .text(row.metadata), .text(row.recordedAt),
                row.migrationId.map(SQLValue.text) ?? .null, row.runId.map(SQLValue.int) ?? .null,
            ]
        ).first?.values.first?.int
    }

    private var savepoints = 0

    package func savepoint(_ body: () throws -> Void) throws {
        savepoints += 1
        let name = "cairn_\(savepoints)"
        try session.execute("SAVEPOINT \(name)")
        do {
            try body()
        } catch {
            try session.execute("ROLLBACK TO SAVEPOINT \(name)")
            try session.execute("RELEASE SAVEPOINT \(name)")
            throw error
        }
        try session.execute("RELEASE SAVEPOINT \(name)")
    }

    package func projectionContext(tableNames: [String: String]) -> ProjectionContext {
        ProjectionContext(model: readModel, tableNames: tableNames)
    }
}
