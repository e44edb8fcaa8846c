import CairnDemo
@testable import CairnRunner
import CairnStore
import Foundation
import Testing

@Suite("Read-only gate for candidate queries")
struct QueryGateTests {
    let directory: TemporaryDirectory
    let gate: QueryGate

    init() throws {
        directory = try TemporaryDirectory()
        let store = try makeDemoStore(in: directory)
        gate = try QueryGate(databasePath: store.path)
    }

    private func refusal(_ sql: String) -> QueryRefusal? {
        if case .failure(let refusal) = gate.check(sql) { return refusal }
        return nil
    }

    @Test("accepts a SELECT with JSON functions, json_each and a trailing semicolon")
    func acceptsReadOnlySelect() throws {
        let sql = """
            SELECT json_object('userId', m.user_id, 'roles', json_insert(m.roles, '$[#]', 'TenantAdmin')) AS payload,
                   m.stream_tenant AS stream_tenant
            FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE u.email = 'admin@publicstatus.eu'
              AND NOT EXISTS (SELECT 1 FROM json_each(m.roles) WHERE value = 'TenantAdmin');
            -- trailing comment
            """
        let query = try gate.check(sql).get()
        #expect(query.hasStreamTenant)
        #expect(!query.body.hasSuffix(";"))
    }

    @Test("accepts recursive CTEs and reading the event store")
    func acceptsRecursiveAndEvents() throws {
        _ = try gate.check("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3)
            SELECT json_object('i', i, 'events', (SELECT count(*) FROM events)) AS payload FROM n
            """).get()
        _ = try gate.check("SELECT payload ->> '$.tenantId' AS payload FROM events WHERE version = 1").get()
    }

    @Test("refuses a second statement in the tail", arguments: [
        "SELECT '{}' AS payload; DELETE FROM events",
        "SELECT '{}' AS payload; SELECT '{}' AS payload",
        "SELECT '{}' AS payload;\n-- comment\n; PRAGMA query_only = 0",
    ])
    func refusesMultipleStatements(sql: String) {
        #expect(refusal(sql)?.kind == .multipleStatements)
    }

    @Test("refuses statements that write or change the connection", arguments: [
        "INSERT INTO tenants (id, slug, name) VALUES ('x', 'x', 'x')",
        "UPDATE memberships SET roles = '[]'",
        "DELETE FROM events",
        "CREATE TABLE t (payload TEXT)",
        "DROP TABLE memberships",
        "ATTACH DATABASE '/tmp/x.sqlite' AS x",
        "PRAGMA query_only = 0",
        "PRAGMA table_info(events)",
        "BEGIN",
        "COMMIT",
        "SAVEPOINT s",
        "VACUUM",
        "REPLACE INTO tenants (id, slug, name) VALUES ('x', 'x', 'x')",
        "WITH x AS (SELECT 1) DELETE FROM events",
    ])
    func refusesWrites(sql: String) {
        let kind = refusal(sql)?.kind
        #expect(kind == .notReadOnly || kind == .syntax, "\(sql) → \(String(describing: kind))")
        #expect(kind != nil)
    }

    @Test("refuses functions outside the allow-list", arguments: [
        "SELECT load_extension('/tmp/evil.so') AS payload",
        "SELECT json_object('x', randomblob(10)) AS payload",
        "SELECT json_object('x', zeroblob(1000000000)) AS payload",
        "SELECT json_object('x', sqlite_source_id()) AS payload",
        "SELECT json_object('x', changes()) AS payload",
    ])
    func refusesFunctions(sql: String) {
        #expect(refusal(sql)?.kind == .function)
    }

    @Test("names the missing payload column and any extra column")
    func checksColumns() {
        #expect(refusal("SELECT '{}' AS body")?.message.contains("'body'") == true)
        #expect(refusal("SELECT NULL AS stream_tenant")?.message.contains("no 'payload' column") == true)
        #expect(refusal("SELECT '{}' AS payload, 'x' AS stream_tenant, 1 AS extra")?.kind == .columns)
    }

    @Test("reports SQL syntax errors and unknown tables from the live schema")
    func reportsSyntax() {
        #expect(refusal("SELEC '{}' AS payload")?.kind == .syntax)
        #expect(refusal("SELECT '{}' AS payload FROM no_such_table")?.message.contains("no_such_table") == true)
    }

    @Test("stops a runaway query at the time limit")
    func stopsRunawayQuery() throws {
        let query = try gate.check("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)
            SELECT json_object('i', i) AS payload FROM n
            """).get()
        let started = Date()
        #expect(throws: QueryGateError.self) { try gate.count(query, timeout: 0.3) }
        #expect(Date().timeIntervalSince(started) < 5)
    }
}
