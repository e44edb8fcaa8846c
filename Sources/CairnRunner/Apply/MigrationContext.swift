import CairnStore
import Foundation
import GRDB

/// What a Swift migration gets: gated read-only queries and handler calls as `system`.
public final class MigrationContext {
    /// The migration's id.
    public let migrationId: String
    /// The run's id.
    public let runId: Int64
    /// Events written so far.
    public private(set) var eventsWritten = 0

    private let transaction: StoreTransaction
    private let gate: any CandidateGate
    private let queryTimeout: TimeInterval

    init(migrationId: String, runId: Int64, transaction: StoreTransaction, gate: any CandidateGate, queryTimeout: TimeInterval) {
        self.migrationId = migrationId
        self.runId = runId
        self.transaction = transaction
        self.gate = gate
        self.queryTimeout = queryTimeout
    }

    /// Runs a read-only query, refused like a seed's candidate query if it could write.
    ///
    /// - Throws: `QueryRefusal` when the gate refuses it, or the query's error.
    public func query(_ sql: String, _ values: [any SQLValueConvertible] = []) throws -> [SQLRow] {
        let query = try gate.check(sql, requireCandidateColumns: false).get()
        let rows = try CandidateReader.rows(
            query, arguments: try SQLiteReadModel.arguments(values), in: transaction.db, timeout: queryTimeout)
        return rows.map { row in
            SQLRow(columns: Array(row.columnNames), values: (0..<row.count).map { SQLiteReadModel.value(row[$0]) })
        }
    }

    /// Calls a handler as `system`, tagging its events with the migration and run.
    @discardableResult
    public func write(_ handler: QualifiedName, payload: Payload, streamTenant: String? = nil) throws -> [StoredEvent] {
        let events = try transaction.dispatch(Command(handler, payload: payload, actor: .system, streamTenant: streamTenant))
        eventsWritten += events.count
        return events
    }
}
