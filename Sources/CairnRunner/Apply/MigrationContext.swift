import CairnStore
import Foundation

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
        guard let store = transaction.store as? any RunnerStore else {
            preconditionFailure("a migration's transaction belongs to a store the runner cannot query")
        }
        let arguments = try values.enumerated().map { index, value -> SQLValue in
            let value = value.sqlValue
            if case .text(let text) = value, text.holdsNUL {
                throw StoreError.textHoldsNUL(what: "argument \(index + 1) of a migration's query")
            }
            return value
        }
        return try store.queryRows(query, values: arguments, in: transaction, timeout: queryTimeout)
    }

    /// Calls a handler as `system`, tagging its events with the migration and run.
    @discardableResult
    public func write(_ handler: QualifiedName, payload: Payload, streamTenant: String? = nil) throws -> [StoredEvent] {
        let events = try transaction.dispatch(Command(handler, payload: payload, actor: .system, streamTenant: streamTenant))
        eventsWritten += events.count
        return events
    }
}
