import CairnStore
import Foundation
import GRDB
import GRDBSQLite

/// Runs gated candidate queries on the writer's connection, inside the batch's
/// transaction, so the rows are read from the same snapshot the writes go to.
///
/// The query text already passed the `QueryGate`; here it additionally runs in a
/// savepoint that is always rolled back, and under a progress handler that stops it
/// after the time limit. Whatever the query changed — through a function registered
/// on the writer's connection, called by name or from a generated column, which the
/// gate cannot see — is undone, and a change the connection counted (rows, or the
/// schema) fails the query with `CandidateWrite`.
///
/// Until 2026-12-04 the query ran under `PRAGMA query_only` (GRDB's `readOnly`). SQLite
/// expires every prepared statement of the connection whenever a flag pragma is set, so
/// each batch re-prepared each statement it ran after its candidate query (the event
/// insert, the loads, the projections', the ledger's, COMMIT): 4–5% of an apply. A
/// savepoint expires nothing, and it undoes a write instead of refusing it.
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

    /// The savepoint a candidate query runs in, and the statements that open and undo it.
    private enum Sandbox {
        static let open = "SAVEPOINT cairn_candidates"
        static let rollBack = "ROLLBACK TO SAVEPOINT cairn_candidates"
        static let release = "RELEASE SAVEPOINT cairn_candidates"
        static let schemaVersion = "PRAGMA schema_version"
    }

    /// Runs `body` in a savepoint it always rolls back, with a `QueryDeadline` installed on the
    /// writer's connection for its length; a change `body` made fails it once undone.
    private static func guarded<T>(_ db: Database, timeout: TimeInterval, _ body: () throws -> T) throws -> T {
        let deadline = QueryDeadline()
        deadline.start(timeout)
        deadline.install(on: db.sqliteConnection)
        defer { QueryDeadline.uninstall(from: db.sqliteConnection) }
        try DirectStatement(db, sql: Sandbox.open).run()
        let changesBefore = sqlite3_total_changes64(db.sqliteConnection)
        let schemaBefore: Int64
        let result: T
        do {
            schemaBefore = try schemaVersion(db)
            result = try withExtendedLifetime(deadline) { try body() }
        } catch {
            // Undone whatever it was; the error says what went wrong, not the clean-up.
            try? undo(db)
            if let error = error as? DatabaseError, error.resultCode == .SQLITE_INTERRUPT, deadline.hit {
                throw CandidateTimeout(seconds: timeout)
            }
            throw error
        }
        let changes = sqlite3_total_changes64(db.sqliteConnection) - changesBefore
        let schemaChanged = try schemaVersion(db) != schemaBefore
        do {
            try undo(db)
        } catch {
            // A function the query called ended the savepoint, or the transaction around it.
            throw CandidateWrite(change: "ended the transaction it ran in (\(error))")
        }
        if changes != 0 {
            throw CandidateWrite(change: "changed \(changes) row\(changes == 1 ? "" : "s") of the database")
        }
        if schemaChanged { throw CandidateWrite(change: "changed the database's schema") }
        return result
    }

    /// Rolls the candidate savepoint back and releases it.
    private static func undo(_ db: Database) throws {
        try DirectStatement(db, sql: Sandbox.rollBack).run()
        try DirectStatement(db, sql: Sandbox.release).run()
    }

    /// The schema cookie, which every change of the schema in the transaction moves.
    private static func schemaVersion(_ db: Database) throws -> Int64 {
        let statement = try DirectStatement(db, sql: Sandbox.schemaVersion)
        defer { statement.finish() }
        guard try statement.step() else { return 0 }
        return statement.int64(0)
    }
}

/// A candidate query changed the database — through a function it calls, directly or from a
/// generated column it reads — and its changes were undone.
struct CandidateWrite: ExplainedError {
    /// What the query did, in words: "changed 1 row of the database".
    let change: String

    var summary: String { "the candidate query \(change) while it ran; its changes were undone" }
    var remedy: String? {
        "a candidate query must only read: take out the function that writes (called by the query or by a"
            + " generated column it reads), or register it without its writes; nothing of this batch was committed"
    }
    var exitCode: Int32 { CairnExit.failed }
}

/// A candidate query ran longer than its time limit and was stopped.
struct CandidateTimeout: Error, CustomStringConvertible {
    let seconds: TimeInterval

    var description: String {
        "the candidate query ran longer than \(Self.shown(seconds)) s and was stopped;"
            + " make it cheaper (an index, a tighter WHERE) or raise --query-timeout"
    }

    /// A limit in seconds as given: `60`, `0.5`, `2.25`.
    static func shown(_ seconds: TimeInterval) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%g", seconds)
    }
}
