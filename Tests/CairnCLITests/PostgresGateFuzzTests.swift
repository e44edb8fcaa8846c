import CairnDemo
import CairnPostgres
import CairnRunner
import CairnStore
import Foundation
import Testing

/// The fuzz target's corpus, and mutations of it, through the PostgreSQL gate on a real
/// server: every query the gate accepts is then run unguarded, as the connecting superuser,
/// in a transaction that is rolled back, and must have written nothing, taken no advisory
/// lock and moved no sequence.
@Suite("PostgreSQL: the gate against the fuzz corpus", .enabled(if: PostgresServer.available, "PostgreSQL is not installed (CI installs it)"))
struct PostgresGateFuzzTests {
    /// Calls that change something, spliced into accepted queries by the mutations.
    static let splices = [
        "nextval('canary_seq')", "setval('canary_seq', 9)", "pg_advisory_lock(7)", "set_config('work_mem', '1MB', false)",
        "txid_current()", "pg_notify('c', 'x')", "lo_create(0)", "canary_write()", "(SELECT nextval('canary_seq'))",
        "pg_catalog.nextval('canary_seq')", "\"nextval\"('canary_seq')", "NEXTVAL('canary_seq')", "nextval/**/('canary_seq')",
        "('x'::canary_domain)", "table_to_xml('canary_view'::regclass, true, false, '')", "pg_sleep(0.01)",
    ]

    @Test("every corpus query and 600 mutations: what the gate accepts writes nothing when run unguarded")
    func acceptedQueriesWriteNothing() throws {
        let server = try PostgresServer.start()
        let url = try server.makeDatabase()
        let store = try PostgresStore(url, domain: DemoApplication.domain, mode: .createIfNeeded)
        defer { store.close() }
        let name = server.databaseName(url)
        try server.sql("""
            CREATE TABLE canary (x integer);
            CREATE SEQUENCE canary_seq;
            CREATE VIEW canary_view AS SELECT nextval('canary_seq') AS n;
            CREATE FUNCTION canary_write() RETURNS jsonb LANGUAGE sql AS $$ INSERT INTO canary VALUES (1); SELECT '{}'::jsonb $$;
            CREATE FUNCTION canary_check(t text) RETURNS boolean LANGUAGE sql AS $$ INSERT INTO canary VALUES (2) RETURNING true $$;
            CREATE DOMAIN canary_domain AS text CHECK (canary_check(VALUE));
            """, database: name)
        let gate = try store.makeCandidateGate()
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = repository.appendingPathComponent("Tests/FuzzCorpus")
        var queries: [String] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            if case .success(let seed) = SeedParser.parse(text, id: "2026-01-01-fuzz", path: file) {
                queries += (seed.blocks + (seed.downBlocks ?? [])).map(\.sql)
            }
            queries.append(text)
        }
        // The SQLite corpus in PostgreSQL's words, then mutations that splice side effects into it.
        let translated = queries.map {
            $0.replacingOccurrences(of: "json_object(", with: "jsonb_build_object(")
                .replacingOccurrences(of: "json_array(", with: "jsonb_build_array(")
        }
        var random = SystemRandomNumberGenerator()
        var inputs = queries + translated
        for index in 0..<600 {
            let base = translated[index % translated.count]
            let splice = Self.splices[Int.random(in: 0..<Self.splices.count, using: &random)]
            switch index % 4 {
            case 0: inputs.append(base.replacingOccurrences(of: "SELECT ", with: "SELECT \(splice) AS cairn_x, ", options: [], range: base.range(of: "SELECT ")))
            case 1: inputs.append(base.replacingOccurrences(of: " AS payload", with: " || jsonb_build_object('x', \(splice)) AS payload"))
            case 2: inputs.append("SELECT jsonb_build_object('x', \(splice)) AS payload")
            default: inputs.append("WITH q AS (SELECT \(splice) AS v) SELECT jsonb_build_object('v', v) AS payload FROM q")
            }
        }
        var accepted = 0
        for sql in inputs {
            guard case .success(let query) = gate.check(sql, requireCandidateColumns: false) else { continue }
            accepted += 1
            // Unguarded: no read-only transaction, no reader role, no time limit; rolled back after.
            let assigned = try store.withSession { session -> String? in
                try session.execute("BEGIN")
                defer { _ = try? session.execute("ROLLBACK") }
                _ = try? session.rows("SELECT count(*) FROM (\(query.body)\n) AS q")
                // A transaction that wrote a row has a transaction id; one that only read has none.
                return (try? session.rows("SELECT txid_current_if_assigned()::text"))?.first?.values.first?.string
            }
            #expect(assigned == nil, "the gate accepted a query that wrote a row: \(sql)")
            let wrote = try server.sql(
                "SELECT (SELECT count(*) FROM canary) || ',' || (SELECT is_called FROM canary_seq)", database: name)
            #expect(wrote == "0,f", "the gate accepted a query that changed the canaries: \(sql)")
            let locks = try server.sql(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = '\(name)')")
            #expect(locks == "0", "the gate accepted a query that kept an advisory lock: \(sql)")
        }
        #expect(accepted > 20, "the corpus gives the gate queries to accept (\(accepted) accepted)")
    }
}
