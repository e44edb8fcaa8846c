import CairnStore
import Foundation

/// The SQLite side of the runner's store needs.
extension EventStore: RunnerStore {
    public func makeCandidateGate() throws -> any CandidateGate {
        try QueryGate(databasePath: path)
    }

    public func candidates(_ query: CandidateQuery, limit: Int, in transaction: StoreTransaction, timeout: TimeInterval) throws
        -> [CandidateRow]
    {
        try CandidateReader.fetch(query, limit: limit, in: transaction.db, timeout: timeout)
    }

    public func countCandidates(_ query: CandidateQuery, in transaction: StoreTransaction, timeout: TimeInterval) throws -> Int {
        try CandidateReader.count(query, in: transaction.db, timeout: timeout)
    }

    public func queryRows(_ query: CandidateQuery, values: [SQLValue], in transaction: StoreTransaction, timeout: TimeInterval) throws
        -> [SQLRow]
    {
        let rows = try CandidateReader.rows(
            query, arguments: try SQLiteReadModel.arguments(values), in: transaction.db, timeout: timeout)
        return rows.map { row in
            SQLRow(columns: Array(row.columnNames), values: (0..<row.count).map { SQLiteReadModel.value(row[$0]) })
        }
    }

    public func captureChanges(in transaction: StoreTransaction, tables: [String]) throws -> any ChangeCapture {
        try ChangeRecorder(db: transaction.db, tables: tables)
    }

    /// Nil: on SQLite the lock is the row alone, taken in one `BEGIN IMMEDIATE` transaction.
    public func makeServerLock() throws -> (any ServerLock)? { nil }

    public func serverLockHolder() throws -> ServerLockHolder? { nil }

    public func endServerLockHolder() throws -> String? { nil }

    public var previewPlace: String { "on a private copy of the store that is thrown away" }

    public func makePreviewStore(run: Int64) throws -> PreviewStore {
        let copy = try makePreviewCopy(run: run)
        return PreviewStore(store: copy.store, discard: copy.discard)
    }
}
