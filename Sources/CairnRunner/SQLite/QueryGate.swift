import CairnStore
import CSQLiteShim
import Foundation
import GRDBSQLite

/// The gate every candidate query passes before it runs: it compiles the SQL on
/// a dedicated, hardened, read-only connection and refuses anything that could write.
///
/// The defences are layered, because no single SQLite check is enough: the
/// connection is opened read-only with `PRAGMA query_only = 1`, defensive mode,
/// an untrusted schema and no attachable databases; an authorizer allows only
/// reading, `SELECT`, recursive CTEs and allow-listed functions; the statement
/// must be the only one in the text, be a `SELECT` that SQLite itself calls
/// read-only, and return exactly the columns `payload` and, optionally,
/// `stream_tenant`. Running queries stop after a time limit.
public final class QueryGate: CandidateGate {
    /// Functions a candidate query may call: SQLite's pure core, date, math,
    /// aggregate, window and JSON functions. Everything else is refused.
    public static let allowedFunctions: Set<String> = [
        // core scalar
        "abs", "char", "coalesce", "format", "glob", "hex", "ifnull", "iif", "instr", "length", "like",
        "likelihood", "likely", "lower", "ltrim", "max", "min", "nullif", "printf", "quote", "replace",
        "round", "rtrim", "sign", "substr", "substring", "trim", "typeof", "unicode", "unlikely", "upper",
        "concat", "concat_ws", "octet_length", "unhex",
        // date and time
        "date", "time", "datetime", "julianday", "unixepoch", "strftime", "timediff",
        // aggregates
        "avg", "count", "group_concat", "string_agg", "sum", "total",
        // window functions
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead",
        "first_value", "last_value", "nth_value",
        // math
        "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "ceil", "ceiling", "cos", "cosh",
        "degrees", "exp", "floor", "ln", "log", "log10", "log2", "mod", "pi", "pow", "power", "radians",
        "sin", "sinh", "sqrt", "tan", "tanh", "trunc",
        // JSON
        "json", "json_array", "json_array_length", "json_extract", "json_insert", "json_object",
        "json_patch", "json_remove", "json_replace", "json_set", "json_type", "json_valid", "json_quote",
        "json_group_array", "json_group_object", "json_each", "json_tree", "->", "->>",
    ]

    /// The columns a candidate query may return.
    public static let payloadColumn = "payload"
    /// The optional column naming the stream tenant.
    public static let streamTenantColumn = "stream_tenant"

    private let connection: HardenedConnection
    private let path: String

    /// Opens the gate's own read-only connection to the database at `path`.
    ///
    /// - Throws: `QueryGateError` when the connection cannot be opened or hardened.
    public init(databasePath path: String, allowedFunctions: Set<String> = QueryGate.allowedFunctions) throws {
        self.path = path
        self.connection = try HardenedConnection(path: path, authorizer: QueryAuthorizer(allowedFunctions: allowedFunctions))
    }

    /// Compiles `sql` without running it and returns the accepted query, or why it is refused.
    ///
    /// With `requireCandidateColumns` false (queries of Swift migrations), any result columns are accepted.
    public func check(_ sql: String, requireCandidateColumns: Bool = true) -> Result<CandidateQuery, QueryRefusal> {
        let db = connection.db
        let monitor = connection.authorizer
        monitor.reset()
        let utf8 = Array(sql.utf8CString)
        return utf8.withUnsafeBufferPointer { buffer -> Result<CandidateQuery, QueryRefusal> in
            let start = buffer.baseAddress!
            var statement: OpaquePointer?
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v2(db, start, -1, &statement, &tail)
            defer { sqlite3_finalize(statement) }
            if let denied = monitor.firstDenial {
                return .failure(denied)
            }
            guard rc == SQLITE_OK else {
                return .failure(QueryRefusal(kind: .syntax, message: String(cString: sqlite3_errmsg(db))))
            }
            guard let statement else {
                return .failure(QueryRefusal(kind: .empty, message: "the block holds no SQL statement"))
            }
            let bodyLength = tail.map { start.distance(to: $0) } ?? sql.utf8.count
            if let tail, let extra = QueryGate.nextStatement(db, tail) {
                return .failure(QueryRefusal(
                    kind: .multipleStatements,
                    message: "only one statement is allowed; found a second one: \(extra.truncatedForDisplay(60))"))
            }
            if let denied = monitor.firstDenial {
                return .failure(denied)
            }
            guard sqlite3_stmt_readonly(statement) != 0, sqlite3_stmt_isexplain(statement) == 0, monitor.sawSelect else {
                return .failure(QueryRefusal(kind: .notReadOnly, message: "the statement is not a read-only SELECT"))
            }
            var columns: [String] = []
            for index in 0..<sqlite3_column_count(statement) {
                columns.append(String(cString: sqlite3_column_name(statement, index)))
            }
            if requireCandidateColumns, let problem = QueryGate.columnProblem(columns) {
                return .failure(QueryRefusal(kind: .columns, message: problem))
            }
            let body = String(decoding: UnsafeRawBufferPointer(start: start, count: bodyLength), as: UTF8.self)
            return .success(CandidateQuery(
                sql: sql, body: QueryGate.strippingTerminator(body),
                hasStreamTenant: columns.contains(QueryGate.streamTenantColumn)))
        }
    }

    /// Counts the rows the query returns, stopping after `timeout` seconds.
    ///
    /// - Throws: `QueryGateError` when the query fails or runs too long.
    public func count(_ query: CandidateQuery, timeout: TimeInterval) throws -> Int {
        let db = connection.db
        connection.deadline.start(timeout)
        defer { connection.deadline.clear() }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, "SELECT count(*) FROM (\(query.body)\n)", -1, &statement, nil) == SQLITE_OK else {
            throw QueryGateError(path: path, message: String(cString: sqlite3_errmsg(db)))
        }
        defer { sqlite3_finalize(statement) }
        let rc = sqlite3_step(statement)
        guard rc == SQLITE_ROW else { throw stepFailure(db, timeout: timeout) }
        return Int(sqlite3_column_int64(statement, 0))
    }

    /// The error for a candidate query whose step failed: stopped by the timeout, or SQLite's message.
    private func stepFailure(_ db: OpaquePointer, timeout: TimeInterval) -> QueryGateError {
        if connection.deadline.hit {
            return QueryGateError(
                path: path,
                message: "the candidate query ran longer than \(CandidateTimeout.shown(timeout)) s and was stopped;"
                    + " make it cheaper (an index, a tighter WHERE) or raise --query-timeout")
        }
        return QueryGateError(path: path, message: String(cString: sqlite3_errmsg(db)))
    }

    /// Runs the query for its first `limit` rows and says what is wrong with their
    /// `payload` column — not text, not JSON, not an object — or nil when they are fine.
    /// Stops after `timeout` seconds.
    ///
    /// - Throws: `QueryGateError` when the query fails or runs too long.
    public func checkPayloads(_ query: CandidateQuery, limit: Int = 5, timeout: TimeInterval) throws -> String? {
        let db = connection.db
        connection.deadline.start(timeout)
        defer { connection.deadline.clear() }
        let tenant = query.hasStreamTenant ? QueryGate.streamTenantColumn : "NULL"
        let sql = """
            SELECT typeof(payload), CASE WHEN typeof(payload) = 'text' AND json_valid(payload) THEN json_type(payload) END,
                   CASE WHEN typeof(payload) IN ('text', 'blob') THEN substr(CAST(payload AS BLOB), 1, 80) ELSE payload END, typeof(\(tenant)), substr(CAST(\(tenant) AS TEXT), 1, 40),
                   instr(CAST(payload AS BLOB), x'00') > 0, instr(CAST(\(tenant) AS BLOB), x'00') > 0,
                   CASE WHEN typeof(payload) = 'text' AND instr(payload, '\\u0000') > 0 THEN payload END,
                   CASE WHEN typeof(payload) = 'text' AND json_valid(payload) AND json_type(payload) = 'object' THEN payload END,
                   CASE WHEN typeof(\(tenant)) = 'text' THEN \(tenant) END
            FROM (\(query.body)
            ) LIMIT \(limit)
            """
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else {
            throw QueryGateError(path: path, message: String(cString: sqlite3_errmsg(db)))
        }
        defer { sqlite3_finalize(statement) }
        var row = 0
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { return nil }
            guard rc == SQLITE_ROW else { throw stepFailure(db, timeout: timeout) }
            row += 1
            let type = String(cString: sqlite3_column_text(statement, 0))
            let jsonType = sqlite3_column_type(statement, 1) == SQLITE_NULL ? nil : String(cString: sqlite3_column_text(statement, 1))
            // Read by byte length and made visible: a NUL in the sample shows as ^@, the text after it kept.
            let sample: String
            switch ExactColumn.value(statement!, 2) {
            case .null: sample = "NULL"
            case .text(let text): sample = text.visibleControls
            // The payload's first 80 bytes (SQLite's text functions stop at a NUL; bytes do not).
            case .blob(let bytes) where type == "text":
                sample = String(decoding: bytes, as: UTF8.self).visibleControls
            case let other: sample = "\(other)"
            }
            let tenantType = String(cString: sqlite3_column_text(statement, 3))
            if tenantType != "text" && tenantType != "null" {
                let value = sqlite3_column_type(statement, 4) == SQLITE_NULL ? "" : String(cString: sqlite3_column_text(statement, 4))
                return "row \(row): the stream_tenant column is of type \(tenantType) (\(value.truncatedForDisplay(30))),"
                    + " not text naming a tenant"
            }
            if sqlite3_column_int(statement, 6) != 0 {
                return "row \(row): the stream_tenant column holds a NUL character (U+0000), which a tenant id cannot hold"
            }
            if case .text(let text) = ExactColumn.value(statement!, 9), let problem = QueryGate.tenantProblem(text) {
                return "row \(row): \(problem)"
            }
            if sqlite3_column_int(statement, 5) != 0 {
                return "row \(row): the payload holds a NUL byte, which JSON text cannot hold: \(sample.truncatedForDisplay(60))"
            }
            if case .text(let text) = ExactColumn.value(statement!, 7),
                let path = (try? JSONValue(parsing: text))?.pathOfNUL()
            {
                let place = path.hasPrefix("a key") ? path : "field '\(path)'"
                return "row \(row): \(place) of the payload holds a NUL character (\\u0000), which the read tables cannot keep"
            }
            if type != "text" {
                return "row \(row): the payload is \(type == "null" ? "NULL" : "of type \(type)"), not a JSON object (\(sample))"
            }
            guard let jsonType else {
                return "row \(row): the payload is not valid JSON: \(sample.truncatedForDisplay(60))"
            }
            if jsonType != "object" {
                return "row \(row): the payload is a JSON \(jsonType), not an object: \(sample.truncatedForDisplay(60))"
            }
            // Valid for SQLite, but past what the store's parser keeps (1e400, nesting past 512 levels).
            if case .text(let text) = ExactColumn.value(statement!, 8), let problem = QueryGate.jsonProblem(text) {
                return "row \(row): \(problem)"
            }
        }
    }

    /// The text of the next statement after `tail`, skipping whitespace, comments and empty statements.
    private static func nextStatement(_ db: OpaquePointer, _ tail: UnsafePointer<CChar>) -> String? {
        var cursor: UnsafePointer<CChar>? = tail
        while let current = cursor, current.pointee != 0 {
            var statement: OpaquePointer?
            var next: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v2(db, current, -1, &statement, &next)
            sqlite3_finalize(statement)
            if rc != SQLITE_OK || statement != nil {
                return String(cString: current).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            if next == current { break }
            cursor = next
        }
        return nil
    }

    /// What is wrong with a candidate query's result columns, or nil when they are right.
    /// What is wrong with a candidate row's stream tenant, or nil: empty, only whitespace, or
    /// padded with it (which names another tenant). Shared by both stores' gates and the run.
    static func tenantProblem(_ tenant: String) -> String? {
        if tenant.isEmpty || tenant.allSatisfy(\.isWhitespace) {
            return "the stream_tenant column is \(tenant.isEmpty ? "empty" : "only whitespace (\(tenant.debugDescription))");"
                + " it must name a tenant, or be NULL for the payload's own tenant"
        }
        if tenant.first?.isWhitespace == true || tenant.last?.isWhitespace == true {
            return "the stream_tenant column \(tenant.truncatedForDisplay(40).debugDescription) begins or ends with whitespace,"
                + " so it names another tenant than \(tenant.trimmingCharacters(in: .whitespacesAndNewlines).truncatedForDisplay(40).debugDescription)"
        }
        return nil
    }

    /// What the store's JSON parser refuses in a payload's text, or nil when it keeps it.
    static func jsonProblem(_ text: String) -> String? {
        do {
            _ = try JSONValue(parsing: text)
            return nil
        } catch let error as JSONParseError {
            return "the payload is \(error.isBeyondLimits ? "JSON beyond what Cairn keeps" : "not valid JSON") (\(error.reason)):"
                + " \(text.visibleControls.truncatedForDisplay(60))"
        } catch {
            return "the payload is not valid JSON (\(error)): \(text.visibleControls.truncatedForDisplay(60))"
        }
    }

    static func columnProblem(_ columns: [String]) -> String? {
        let allowed = [payloadColumn, streamTenantColumn]
        if !columns.contains(payloadColumn) {
            return "the query returns no 'payload' column (it returns \(columns.map { "'\($0)'" }.joined(separator: ", ")));"
                + " select the handler's payload as a JSON object `AS payload`"
        }
        if let extra = columns.first(where: { !allowed.contains($0) }) {
            return "the query returns a column '\(extra)'; only 'payload' and 'stream_tenant' are allowed"
                + " (alias your expressions: `... AS payload`)"
        }
        if columns.filter({ $0 == payloadColumn }).count > 1 || columns.filter({ $0 == streamTenantColumn }).count > 1 {
            return "the query returns a column twice: \(columns.joined(separator: ", "))"
        }
        return nil
    }

    /// The statement without its trailing semicolon and whitespace.
    static func strippingTerminator(_ body: String) -> String {
        var text = Substring(body)
        while let last = text.last, last == ";" || last.isWhitespace {
            text = text.dropLast()
        }
        return String(text)
    }
}
