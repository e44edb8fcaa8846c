/// A candidate query the gate accepted.
public struct CandidateQuery: Sendable, Hashable {
    /// The SQL as written in the seed.
    public let sql: String
    /// The statement alone, without its terminator, ready to wrap in `SELECT ... FROM (body)`.
    public let body: String
    /// True when the query returns a `stream_tenant` column.
    public let hasStreamTenant: Bool

    /// The statement that fetches at most `?` candidate rows with both columns.
    var limitedSQL: String {
        let tenant = hasStreamTenant ? QueryGate.streamTenantColumn : "NULL"
        return "SELECT payload, \(tenant) FROM (\(body)\n) LIMIT ?"
    }

    /// The statement that counts the candidate rows.
    var countSQL: String { "SELECT count(*) FROM (\(body)\n)" }
}
