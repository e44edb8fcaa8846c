import CairnPostgres
import CairnStore
import Foundation

/// The read-only gate for candidate queries on PostgreSQL: it checks the query as the
/// server parsed it, on a session of its own, and runs nothing that could write.
///
/// The defences are layered, as on SQLite:
/// - the text must hold one statement, starting with `SELECT`, `WITH`, `VALUES` or `TABLE`;
/// - the server parses it into a temporary view in a transaction that is rolled back,
///   which refuses anything but a query (`DO`, `CALL`, `COPY`, data-modifying CTEs);
/// - the parsed query (`pg_get_viewdef`) must take no row locks (`FOR UPDATE/SHARE`);
/// - every function and operator the parsed query calls — read from the server's parse
///   tree, through the views it reads as well — must be on the allow-list: a built-in (`pg_catalog`) function that is
///   immutable or stable, or one of a few volatile ones without side effects (`random`,
///   `gen_random_uuid`, `clock_timestamp`), and never one of the functions that change
///   state although marked stable (`txid_current`, `pg_current_xact_id`);
/// - the columns must be `payload` and, optionally, `stream_tenant`;
/// - a seed's `?` is SQL (jsonb's key operator); a Swift migration's `?` is a placeholder;
/// - counting and sampling run in a `READ ONLY` transaction under `statement_timeout`,
///   as the role `cairn_reader` that may only read tables, where it exists, and the run
///   reads candidates the same way inside its own transaction.
public final class PostgresQueryGate: CandidateGate {
    /// Volatile built-in functions a candidate query may call: they change nothing.
    public static let allowedVolatileFunctions: Set<String> = [
        "random", "gen_random_uuid", "clock_timestamp", "timeofday", "random_normal", "uuid_generate_v4",
    ]
    /// Built-in functions refused although PostgreSQL marks them stable: they assign a transaction
    /// id, or run a query or a table's view given as text or by name, out of the gate's sight.
    public static let refusedFunctions: Set<String> = [
        "txid_current", "txid_current_if_assigned", "pg_current_xact_id", "pg_current_xact_id_if_assigned",
        "query_to_xml", "query_to_xmlschema", "query_to_xml_and_xmlschema", "cursor_to_xml", "cursor_to_xmlschema",
        "table_to_xml", "table_to_xmlschema", "table_to_xml_and_xmlschema", "schema_to_xml", "schema_to_xmlschema",
        "schema_to_xml_and_xmlschema", "database_to_xml", "database_to_xmlschema", "database_to_xml_and_xmlschema",
        "ts_stat", "ts_rewrite", "pg_get_viewdef", "pg_get_ruledef",
    ]

    private let store: PostgresStore

    /// A gate over `store`'s server.
    public init(store: PostgresStore) {
        self.store = store
    }

    public func check(_ sql: String, requireCandidateColumns: Bool) -> Result<CandidateQuery, QueryRefusal> {
        let statements = PostgresSQL.statements(sql)
        guard let first = statements.first else {
            return .failure(QueryRefusal(kind: .empty, message: "the block holds no SQL statement"))
        }
        if statements.count > 1 {
            return .failure(QueryRefusal(
                kind: .multipleStatements,
                message: "only one statement is allowed; found a second one: \(statements[1].truncatedForDisplay(60))"))
        }
        let keyword = PostgresSQL.firstKeyword(first)
        guard ["select", "with", "values", "table"].contains(keyword) else {
            return .failure(QueryRefusal(
                kind: .notReadOnly,
                message: "the statement is not a read-only SELECT (it starts with \(keyword.isEmpty ? "no keyword" : keyword.uppercased()))"))
        }
        do {
            return try store.withSession { session in
                try store.transaction(session, rollBack: true) {
                    try session.execute("SET LOCAL statement_timeout = 10000")
                    do {
                        try session.execute("SAVEPOINT cairn_gate")
                        // A Swift migration's query binds its values to `?`; checked with NULL in their place.
                        let checked = requireCandidateColumns ? first : PostgresSQL.replacingPlaceholders(first, with: "NULL")
                        try session.execute("CREATE TEMPORARY VIEW cairn_gate_query AS \(checked)")
                    } catch {
                        try session.execute("ROLLBACK TO SAVEPOINT cairn_gate")
                        return .failure(PostgresQueryGate.refusal(store.explain(error, operation: "checking the query")))
                    }
                    let definition = try session.rows("SELECT pg_get_viewdef('cairn_gate_query'::regclass)")
                        .first?.values.first?.string ?? ""
                    // Every problem is listed, so one edit fixes the query.
                    var problems: [QueryRefusal] = []
                    if let lock = PostgresQueryGate.rowLock(in: definition) {
                        problems.append(QueryRefusal(
                            kind: .notReadOnly, message: "the query locks the rows it reads (\(lock)); a candidate query only reads"))
                    }
                    problems += try PostgresQueryGate.functionRefusals(session)
                    let columns = try session.rows(
                        """
                        SELECT attname FROM pg_attribute
                        WHERE attrelid = 'cairn_gate_query'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum
                        """
                    ).compactMap { $0.values.first?.string }
                    if requireCandidateColumns, let problem = QueryGate.columnProblem(columns) {
                        problems.append(QueryRefusal(kind: .columns, message: problem))
                    }
                    if let first = problems.first {
                        return .failure(QueryRefusal(kind: first.kind, message: problems.map(\.message).joined(separator: "; ")))
                    }
                    return .success(CandidateQuery(
                        sql: sql, body: QueryGate.strippingTerminator(first),
                        hasStreamTenant: columns.contains(QueryGate.streamTenantColumn)))
                }
            }
        } catch {
            return .failure(QueryRefusal(kind: .syntax, message: "\(store.explain(error, operation: "checking the query"))"))
        }
    }

    /// The refusal for a query the server would not make into a view.
    private static func refusal(_ error: any Error) -> QueryRefusal {
        let message = (error as? PostgresStoreError)?.message ?? "\(error)"
        if message.contains("data-modifying") {
            return QueryRefusal(kind: .notReadOnly, message: "the query writes in a WITH clause (\(message)); a candidate query only reads")
        }
        return QueryRefusal(kind: .syntax, message: message)
    }

    /// The row-locking clause of a parsed query's definition, if it has one.
    static func rowLock(in definition: String) -> String? {
        let upper = definition.uppercased()
        for clause in ["FOR NO KEY UPDATE", "FOR KEY SHARE", "FOR UPDATE", "FOR SHARE"] where upper.contains(clause) {
            // pg_get_viewdef writes the clause on its own words; a string literal holding the
            // words would be quoted, so look outside literals only.
            if PostgresSQL.outsideLiterals(definition).uppercased().contains(clause) { return clause }
        }
        return nil
    }

    /// Why the parsed query's functions, casts and tables are refused: empty when all are allowed.
    ///
    /// The server keeps the parsed query of a view as a node tree (`pg_rewrite.ev_action`);
    /// every function call in it names its function by oid (`:funcid`, `:aggfnoid`,
    /// `:winfnoid`) and every operator by its own oid (`:opno`, `:opnos`), whose function is
    /// `pg_operator.oprcode`. Built-in functions are not recorded in `pg_depend`, so the tree
    /// is read itself. Views the query reads (`:relid`) are read the same way: their
    /// functions run when the query does.
    private static func functionRefusals(_ session: PostgresSession) throws -> [QueryRefusal] {
        var refusals: [QueryRefusal] = []
        var functions = Set<Int64>()
        var operators = Set<Int64>()
        var types = Set<Int64>()
        var read = Set<Int64>()
        var seen = Set<Int64>()
        var pending: [Int64] = [try session.rows("SELECT 'cairn_gate_query'::regclass::oid::bigint").first?.values.first?.int ?? 0]
        while let relation = pending.popLast() {
            guard seen.insert(relation).inserted else { continue }
            let trees = try session.rows(
                "SELECT ev_action::text FROM pg_rewrite WHERE ev_class = $1::bigint::oid", [.int(relation)]
            ).compactMap { $0.values.first?.string }
            var relations = Set<Int64>()
            for tree in trees {
                functions.formUnion(numbers(after: [":funcid ", ":aggfnoid ", ":winfnoid "], in: tree))
                operators.formUnion(numbers(after: [":opno "], in: tree))
                operators.formUnion(lists(after: ":opnos (o ", in: tree))
                relations.formUnion(numbers(after: [":relid "], in: tree))
                // A cast to a domain runs the domain's CHECK constraints, which may call any function.
                types.formUnion(numbers(after: [":resulttype ", ":consttype "], in: tree))
            }
            read.formUnion(relations)
            if !relations.isEmpty {
                let views = try session.rows(
                    "SELECT oid::bigint FROM pg_class WHERE oid = ANY($1::text::bigint[]::oid[]) AND relkind = 'v'",
                    [.text("{\(relations.map(String.init).joined(separator: ","))}")]
                ).compactMap { $0.values.first?.int }
                pending.append(contentsOf: views)
            }
        }
        // A domain of the user's own runs its CHECK functions on every value cast to it.
        if !types.isEmpty {
            let domains = try session.rows(
                """
                SELECT n.nspname || '.' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE t.oid = ANY($1::text::bigint[]::oid[]) AND t.typtype = 'd'
                  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                ORDER BY 1
                """,
                [.text("{\(types.map(String.init).joined(separator: ","))}")]
            ).compactMap { $0.values.first?.string }
            if !domains.isEmpty {
                refusals.append(QueryRefusal(
                    kind: .function,
                    message: "the query casts to the domain\(domains.count == 1 ? "" : "s") \(domains.joined(separator: ", ")), whose"
                        + " CHECK constraints run functions when a value is cast; cast to the base type instead"))
            }
        }
        // Row-level security runs its policies' expressions, functions of the user's own among them,
        // and foreign tables run a wrapper's code.
        if !read.isEmpty {
            let guarded = try session.rows(
                """
                SELECT n.nspname || '.' || c.relname, c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.oid = ANY($1::text::bigint[]::oid[]) AND (c.relrowsecurity OR c.relkind = 'f')
                ORDER BY 1
                """,
                [.text("{\(read.map(String.init).joined(separator: ","))}")])
            for table in guarded {
                let name = table.values[0].string ?? ""
                refusals.append(QueryRefusal(
                    kind: .function,
                    message: table.values[1].string == "f"
                        ? "the query reads the foreign table \(name), whose wrapper runs code the gate cannot check"
                        : "the query reads \(name), which has row-level security: its policies run expressions the gate cannot"
                            + " check; read it through a table without policies, or turn row security off for the migration"))
            }
        }
        if !operators.isEmpty {
            functions.formUnion(try session.rows(
                "SELECT oprcode::oid::bigint FROM pg_operator WHERE oid = ANY($1::text::bigint[]::oid[])",
                [.text("{\(operators.map(String.init).joined(separator: ","))}")]
            ).compactMap { $0.values.first?.int })
        }
        functions.remove(0)
        guard !functions.isEmpty else { return refusals }
        let rows = try session.rows(
            """
            SELECT n.nspname, p.proname, p.provolatile::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.oid = ANY($1::text::bigint[]::oid[]) ORDER BY 1, 2
            """,
            [.text("{\(functions.map(String.init).joined(separator: ","))}")])
        var foreign: [String] = []
        var changing: [String] = []
        for row in rows {
            let schema = row.values[0].string ?? ""
            let name = row.values[1].string ?? ""
            let volatility = row.values[2].string ?? "v"
            if schema != "pg_catalog" {
                foreign.append("\(schema).\(name)()")
            } else if refusedFunctions.contains(name) || (volatility == "v" && !allowedVolatileFunctions.contains(name)) {
                changing.append("\(name)()")
            }
        }
        func listed(_ names: [String]) -> String { Array(Set(names)).sorted().joined(separator: ", ") }
        if !foreign.isEmpty {
            refusals.append(QueryRefusal(
                kind: .function,
                message: "the query calls \(listed(foreign)), which \(Set(foreign).count == 1 ? "is not a built-in function" : "are not built-in functions");"
                    + " a candidate query may call built-in functions that change nothing"))
        }
        if !changing.isEmpty {
            refusals.append(QueryRefusal(
                kind: .function,
                message: "the query calls \(listed(changing)), which can change the database or the session; a candidate query may call"
                    + " built-in functions that change nothing"))
        }
        return refusals
    }

    /// The numbers that follow any of `labels` in a node tree.
    static func numbers(after labels: [String], in tree: String) -> Set<Int64> {
        var found = Set<Int64>()
        for label in labels {
            var rest = tree[...]
            while let range = rest.range(of: label) {
                rest = rest[range.upperBound...]
                if let number = Int64(rest.prefix { $0.isNumber }) { found.insert(number) }
            }
        }
        return found
    }

    /// The numbers of every oid list that follows `label` in a node tree: `:opnos (o 96 98)`.
    static func lists(after label: String, in tree: String) -> Set<Int64> {
        var found = Set<Int64>()
        var rest = tree[...]
        while let range = rest.range(of: label) {
            rest = rest[range.upperBound...]
            for word in rest.prefix(while: { $0 != ")" }).split(separator: " ") {
                if let number = Int64(word) { found.insert(number) }
            }
        }
        return found
    }

    public func count(_ query: CandidateQuery, timeout: TimeInterval) throws -> Int {
        try readOnly(timeout: timeout) { session in
            Int(try session.rows("SELECT count(*) FROM (\(query.body)\n) AS cairn_candidates").first?.values.first?.int ?? 0)
        }
    }

    public func checkPayloads(_ query: CandidateQuery, limit: Int, timeout: TimeInterval) throws -> String? {
        let tenant = query.hasStreamTenant ? QueryGate.streamTenantColumn : "NULL::text"
        let rows = try readOnly(timeout: timeout) { session in
            try session.rows(
                """
                SELECT pg_typeof(payload)::text, payload::text, pg_typeof(\(tenant))::text, (\(tenant))::text
                FROM (\(query.body)
                ) AS cairn_candidates LIMIT \(max(0, limit))
                """)
        }
        for (index, row) in rows.enumerated() {
            let number = index + 1
            let type = row.values[0].string ?? ""
            let text = row.values[1].string
            let tenantType = row.values[2].string ?? ""
            if row.values[3] != .null, !PostgresQueryGate.textTypes.contains(tenantType) {
                return "row \(number): the stream_tenant column is of type \(tenantType) (\((row.values[3].string ?? "").truncatedForDisplay(30))),"
                    + " not text naming a tenant"
            }
            guard let text else {
                return "row \(number): the payload is NULL, not a JSON object (NULL)"
            }
            guard PostgresQueryGate.textTypes.contains(type) || type == "json" || type == "jsonb" else {
                return "row \(number): the payload is of type \(type), not a JSON object (\(text.truncatedForDisplay(60)))"
            }
            if let tenant = row.values[3].string, let problem = QueryGate.tenantProblem(tenant) {
                return "row \(number): \(problem)"
            }
            if let problem = QueryGate.jsonProblem(text) {
                return "row \(number): \(problem)"
            }
            guard let value = try? JSONValue(parsing: text) else { continue }
            guard case .object = value else {
                return "row \(number): the payload is a JSON \(PostgresQueryGate.kind(of: value)), not an object: \(text.truncatedForDisplay(60))"
            }
            if let path = value.pathOfNUL() {
                let place = path.hasPrefix("a key") ? path : "field '\(path)'"
                return "row \(number): \(place) of the payload holds a NUL character (\\u0000), which the read tables cannot keep"
            }
        }
        return nil
    }

    /// A JSON value's kind, as the SQLite gate names it (`json_type`).
    static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int: return "integer"
        case .double: return "real"
        case .string: return "text"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// The type names of text columns.
    static let textTypes: Set<String> = ["text", "character varying", "character", "name", "unknown"]

    /// Runs `body` in a read-only transaction of its own that stops after `timeout` seconds.
    private func readOnly<T>(timeout: TimeInterval, _ body: (PostgresSession) throws -> T) throws -> T {
        do {
            return try store.withSession { session in
                try store.transaction(session, begin: "BEGIN READ ONLY", rollBack: true) {
                    try session.execute("SET LOCAL statement_timeout = \(PostgresQueryGate.milliseconds(timeout))")
                    if try store.readerAvailable(session) { try session.execute("SET LOCAL ROLE \(PostgresStore.readerRole)") }
                    return try body(session)
                }
            }
        } catch {
            let explained = store.explain(error, operation: "running the candidate query")
            if let failure = explained as? PostgresStoreError, failure.kind == .timedOut {
                throw QueryGateError(path: store.location, message: CandidateTimeout(seconds: timeout).description)
            }
            throw QueryGateError(path: store.location, message: (explained as? PostgresStoreError)?.message ?? "\(explained)")
        }
    }

    /// A timeout in whole milliseconds, at least 1 (0 would mean none).
    static func milliseconds(_ timeout: TimeInterval) -> Int64 {
        guard timeout.isFinite else { return 0 }
        return max(1, Int64(min(timeout, 24 * 3600) * 1000))
    }
}
