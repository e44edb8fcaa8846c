import GRDB

/// What a `StoreTransaction` needs of its store inside one open transaction: the
/// statements on the `events` table, savepoints, the read model and the checkpoint
/// bookkeeping of an append.
///
/// The transaction keeps the rules (tenants, optimistic concurrency, NUL refusal,
/// metadata, inline projections); a backend only runs them in its own dialect. SQLite
/// (`SQLiteTransactionBackend`) and PostgreSQL implement it.
package protocol TransactionBackend: AnyObject {
    /// The read model inside the transaction, for handlers and projections.
    var readModel: any ReadModel { get }
    /// GRDB's connection when the store is SQLite, for SQLite-only code; nil otherwise.
    var sqliteDatabase: Database? { get }
    /// The events of stream `id` in `tenant`, oldest first, as stored (not upcast).
    func streamEvents(_ id: String, tenant: String) throws -> [StoredEvent]
    /// The newest version of stream `id`, with its tenant and type; nil when it has no events.
    func streamHead(_ id: String) throws -> StreamHead?
    /// The position of the newest event the transaction sees, or 0.
    func headPosition() throws -> Int64
    /// Inserts one event and returns its position; nil when the stream already has that version.
    func insertEvent(_ row: EventRow) throws -> Int64?
    /// Runs `body` in a savepoint that is rolled back when it throws.
    func savepoint(_ body: () throws -> Void) throws
    /// A projection context writing to `tableNames` (a read table's name to the table written).
    func projectionContext(tableNames: [String: String]) -> ProjectionContext
    /// The ledger inside the transaction.
    var ledger: any LedgerWriting { get }
}

/// The newest event of a stream: its version, its tenant and its type.
package struct StreamHead {
    package let version: Int
    package let tenant: String
    package let type: String

    package init(version: Int, tenant: String, type: String) {
        self.version = version
        self.tenant = tenant
        self.type = type
    }
}

/// One row to insert into `events`, in its columns' terms.
package struct EventRow {
    package let streamId: String
    package let streamType: String
    package let tenant: String
    package let version: Int
    package let type: String
    package let schemaVersion: Int
    package let payload: String
    package let metadata: String
    package let recordedAt: String
    package let migrationId: String?
    package let runId: Int64?
}
