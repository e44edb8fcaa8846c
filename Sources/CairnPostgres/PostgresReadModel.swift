import CairnStore

/// The read model on PostgreSQL, over one session inside the caller's transaction:
/// `?` placeholders become `$1…$n`.
struct PostgresReadModel: ReadModel {
    let session: PostgresSession

    func execute(_ sql: String, _ values: [any SQLValueConvertible]) throws {
        try session.execute(PostgresSQL.numbered(sql), try PostgresReadModel.values(values))
    }

    func fetchAll(_ sql: String, _ values: [any SQLValueConvertible]) throws -> [SQLRow] {
        try session.rows(PostgresSQL.numbered(sql), try PostgresReadModel.values(values))
    }

    func fetchOne(_ sql: String, _ values: [any SQLValueConvertible]) throws -> SQLRow? {
        try fetchAll(sql, values).first
    }

    /// The values as store-neutral ones; text holding a NUL is refused, as PostgreSQL text cannot hold one.
    static func values(_ values: [any SQLValueConvertible]) throws -> [SQLValue] {
        try values.enumerated().map { index, value in
            let value = value.sqlValue
            if case .text(let text) = value, text.holdsNUL {
                throw StoreError.textHoldsNUL(what: "argument \(index + 1) of a read-model statement")
            }
            return value
        }
    }
}
