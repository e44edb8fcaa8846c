import CairnPostgres
import CairnStore
import Foundation

/// The PostgreSQL side of the runner's store needs.
extension PostgresStore: RunnerStore {
    public func makeCandidateGate() throws -> any CandidateGate {
        PostgresQueryGate(store: self)
    }

    public func candidates(_ query: CandidateQuery, limit: Int, in transaction: StoreTransaction, timeout: TimeInterval) throws
        -> [CandidateRow]
    {
        let tenant = query.hasStreamTenant ? QueryGate.streamTenantColumn : "NULL::text"
        return try candidateRows(
            "SELECT (payload)::text, (\(tenant))::text, pg_typeof(payload)::text, pg_typeof(\(tenant))::text FROM (\(query.body)\n) AS cairn_candidates LIMIT $1",
            [.int(Int64(max(0, limit)))], in: transaction, timeout: timeout
        ).map { row in
            CandidateRow(
                payload: PostgresStore.candidateValue(row.values[0], type: row.values[2].string),
                streamTenantValue: PostgresStore.candidateValue(row.values[1], type: row.values[3].string))
        }
    }

    /// A candidate column as the runner judges it: JSON and text as text, numbers as numbers.
    private static func candidateValue(_ text: SQLValue, type: String?) -> SQLValue {
        guard let string = text.string else { return .null }
        switch type {
        case "json", "jsonb":
            // Compact, as on SQLite: jsonb's own text has spaces after ':' and ','.
            return .text((try? JSONValue(parsing: string))?.jsonText ?? string)
        case "text", "character varying", "character", "name", "unknown", "uuid": return .text(string)
        case "integer", "bigint", "smallint": return Int64(string).map(SQLValue.int) ?? .text(string)
        case "double precision", "real", "numeric": return Double(string).map(SQLValue.double) ?? .text(string)
        case "bytea": return .blob(Array(string.utf8))
        default: return .blob(Array(string.utf8))
        }
    }

    public func countCandidates(_ query: CandidateQuery, in transaction: StoreTransaction, timeout: TimeInterval) throws -> Int {
        Int(try candidateRows("SELECT count(*) FROM (\(query.body)\n) AS cairn_candidates", [], in: transaction, timeout: timeout)
            .first?.values.first?.int ?? 0)
    }

    public func queryRows(_ query: CandidateQuery, values: [SQLValue], in transaction: StoreTransaction, timeout: TimeInterval) throws
        -> [SQLRow]
    {
        try candidateRows(PostgresSQL.numbered(query.body), values, in: transaction, timeout: timeout)
    }

    /// Runs a gated statement inside the run's transaction, stopped after `timeout` seconds:
    /// in a savepoint, so a failing query leaves the transaction usable for the bookkeeping.
    private func candidateRows(_ sql: String, _ values: [SQLValue], in transaction: StoreTransaction, timeout: TimeInterval) throws
        -> [SQLRow]
    {
        guard let backend = transaction.backend as? PostgresTransactionBackend else {
            preconditionFailure("a PostgreSQL store was handed another store's transaction")
        }
        let session = backend.session
        let reader = try translating("checking the reader role") { try readerAvailable(session) }
        try session.execute("SAVEPOINT cairn_candidates")
        do {
            try session.execute("SET LOCAL statement_timeout = \(PostgresQueryGate.milliseconds(timeout))")
            // As the role that may only read, where it exists: the statement cannot write a table.
            if reader { try session.execute("SET LOCAL ROLE \(PostgresStore.readerRole)") }
            let rows = try session.rows(sql, values)
            if reader { try session.execute("RESET ROLE") }
            try session.execute("SET LOCAL statement_timeout = 0")
            try session.execute("RELEASE SAVEPOINT cairn_candidates")
            return rows
        } catch {
            _ = try? session.execute("ROLLBACK TO SAVEPOINT cairn_candidates")
            _ = try? session.execute("RELEASE SAVEPOINT cairn_candidates")
            let explained = explain(error, operation: "running the candidate query")
            if let failure = explained as? PostgresStoreError, failure.kind == .timedOut {
                throw CandidateTimeout(seconds: timeout)
            }
            throw explained
        }
    }

    public func captureChanges(in transaction: StoreTransaction, tables: [String]) throws -> any ChangeCapture {
        guard let backend = transaction.backend as? PostgresTransactionBackend else {
            preconditionFailure("a PostgreSQL store was handed another store's transaction")
        }
        return try PostgresChangeCapture(store: self, session: backend.session, tables: tables)
    }

    public var previewPlace: String { "in a transaction of the store that is always rolled back" }

    /// The store itself: a preview runs in a transaction that is always rolled back, so the
    /// application's writers go on beside it (MVCC), and nothing is copied.
    public func makePreviewStore(run: Int64) throws -> PreviewStore {
        PreviewStore(store: self, discard: {})
    }
}
