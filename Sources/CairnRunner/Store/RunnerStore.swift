import CairnStore
import Foundation

/// What the runner needs of a store beyond the store seam (`EventStoring`): the
/// read-only gate that candidate queries pass before anything runs, candidate
/// execution inside a write transaction, and change capture for previews.
///
/// `EventStore` implements it on SQLite (`QueryGate`, `CandidateReader`,
/// `ChangeRecorder` with the session extension); a PostgreSQL store implements
/// the same with its own gate and capture.
public protocol RunnerStore: EventStoring {
    /// A gate for checking candidate queries against the live schema, on a connection that cannot write.
    func makeCandidateGate() throws -> any CandidateGate
    /// At most `limit` candidate rows of a gated query, read inside `transaction`.
    func candidates(_ query: CandidateQuery, limit: Int, in transaction: StoreTransaction, timeout: TimeInterval) throws
        -> [CandidateRow]
    /// How many candidate rows a gated query returns inside `transaction`.
    func countCandidates(_ query: CandidateQuery, in transaction: StoreTransaction, timeout: TimeInterval) throws -> Int
    /// The rows of a gated query of a Swift migration, with `values` bound to its `?` placeholders, inside `transaction`.
    func queryRows(_ query: CandidateQuery, values: [SQLValue], in transaction: StoreTransaction, timeout: TimeInterval) throws
        -> [SQLRow]
    /// Starts recording the changes `transaction` makes to `tables`, for a preview's diff.
    func captureChanges(in transaction: StoreTransaction, tables: [String]) throws -> any ChangeCapture
    /// A private store for the preview of dry-run `run`, equal to this one now.
    func makePreviewStore(run: Int64) throws -> PreviewStore
    /// A connection for the server-held side of the migration lock; nil where the store has
    /// none (SQLite, whose lock is the row alone, taken in one write transaction).
    func makeServerLock() throws -> (any ServerLock)?
    /// Whether a connection holds the server-held side of the migration lock now; nil where the store has none.
    func serverLockHolder() throws -> ServerLockHolder?
    /// Ends the database connection of the server lock's holder, as `unlock --force` does
    /// where the user may; returns what it did, in words (nil where the store has no server lock).
    func endServerLockHolder() throws -> String?
    /// Where a preview's changes are made, for its log: "on a private copy of the store that is thrown away".
    var previewPlace: String { get }
}

/// The read-only gate for candidate queries: refuses anything that could write.
public protocol CandidateGate: AnyObject {
    /// Checks one query; with `requireCandidateColumns`, its columns must be `payload` and optionally `stream_tenant`.
    func check(_ sql: String, requireCandidateColumns: Bool) -> Result<CandidateQuery, QueryRefusal>
    /// Counts a checked query's rows, stopping after `timeout` seconds.
    func count(_ query: CandidateQuery, timeout: TimeInterval) throws -> Int
    /// Reads a checked query's first rows; returns why a payload is not a JSON object, if one is not.
    func checkPayloads(_ query: CandidateQuery, limit: Int, timeout: TimeInterval) throws -> String?
}

/// Records the read-model changes of a transaction, for a preview.
public protocol ChangeCapture: AnyObject {
    /// The changes so far, table by table in key order: each row as it was against as it is.
    func changes() throws -> [RowChange]
    /// The first `limit` changes in table and key order, how many rows changed in all, and
    /// how many per table and kind; memory stays bounded by `limit` whatever the number of changes.
    func changes(limit: Int) throws -> (shown: [RowChange], total: Int, byTable: [String: ChangeTally])
}

/// One candidate row: the payload column and the stream tenant, when the query has one.
public struct CandidateRow: Sendable, Hashable {
    /// The payload column as the query returned it (NULL, text, or another kind).
    public let payload: SQLValue
    /// The stream tenant column as the query returned it: NULL when it has none.
    public let streamTenantValue: SQLValue

    /// A candidate row.
    public init(payload: SQLValue, streamTenantValue: SQLValue) {
        self.payload = payload
        self.streamTenantValue = streamTenantValue
    }

    /// The stream tenant, when the column holds text (any other kind is a row error, see `FailureDiagnosis`).
    public var streamTenant: String? { streamTenantValue.string }

    /// The payload as text for messages: the text itself, NULL, or the value.
    var payloadDescription: String {
        switch payload {
        case .text(let text): return text
        case .null: return "NULL"
        default: return "\(payload)"
        }
    }
}
