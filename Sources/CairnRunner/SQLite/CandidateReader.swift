import CairnStore
import Foundation
import GRDB
import GRDBSQLite

/// Runs gated candidate queries on the writer's connection, inside the batch's
/// transaction, so the rows are read from the same snapshot the writes go to.
///
/// The query text already passed the `QueryGate`; here it additionally runs
/// under `PRAGMA query_only` (GRDB's `readOnly`) and a progress handler that
/// stops it after the time limit.
enum CandidateReader {
    /// Fetches at most `limit` candidate rows.
    static func fetch(_ query: CandidateQuery, limit: Int, in db: Database, timeout: TimeInterval) throws -> [CandidateRow] {
        try guarded(db, timeout: timeout) {
            // Each column is read by its byte length: a NUL inside the text stays in it and makes the row an error.
            let statement = try db.cachedStatement(sql: query.limitedSQL)
            let cursor = try Row.fetchCursor(statement, arguments: [limit])
            var rows: [CandidateRow] = []
            while try cursor.next() != nil {
                rows.append(CandidateRow(
                    payload: ExactColumn.value(statement.sqliteStatement, 0),
                    streamTenantValue: ExactColumn.value(statement.sqliteStatement, 1)))
            }
            return rows
        }
    }

    /// Counts the candidate rows.
    static func count(_ query: CandidateQuery, in db: Database, timeout: TimeInterval) throws -> Int {
        try guarded(db, timeout: timeout) {
            try Int.fetchOne(db, sql: query.countSQL) ?? 0
        }
    }

    /// Runs a gated query of a Swift migration and returns all its rows.
    static func rows(_ query: CandidateQuery, arguments: StatementArguments, in db: Database, timeout: TimeInterval) throws -> [Row] {
        try guarded(db, timeout: timeout) {
            try Row.fetchAll(db, sql: query.body, arguments: arguments)
        }
    }

    /// Runs `body` read-only with a `QueryDeadline` installed on the writer's connection for its length.
    private static func guarded<T>(_ db: Database, timeout: TimeInterval, _ body: () throws -> T) throws -> T {
        let deadline = QueryDeadline()
        deadline.start(timeout)
        deadline.install(on: db.sqliteConnection)
        defer { QueryDeadline.uninstall(from: db.sqliteConnection) }
        do {
            return try withExtendedLifetime(deadline) { try db.readOnly(body) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_INTERRUPT && deadline.hit {
            throw CandidateTimeout(seconds: timeout)
        }
    }
}

/// A candidate query ran longer than its time limit and was stopped.
struct CandidateTimeout: Error, CustomStringConvertible {
    let seconds: TimeInterval

    var description: String {
        "the candidate query ran longer than \(Int(seconds)) s and was stopped;"
            + " make it cheaper (an index, a tighter WHERE) or raise --query-timeout"
    }
}
