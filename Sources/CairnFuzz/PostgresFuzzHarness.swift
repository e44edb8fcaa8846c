import CairnDemo
import CairnPostgres
import CairnRunner
import CairnStore
import Foundation

/// The PostgreSQL half of the fuzz target: a demo database of its own on the server named by
/// `CAIRN_FUZZ_POSTGRES`, the PostgreSQL gate over it, and an unguarded session that runs every
/// query the gate accepts and proves it changed nothing.
///
/// The unguarded session is the connecting user's (a superuser in CI), outside `READ ONLY` and
/// outside the reader role, so only the gate's own checks stand between a query and a write.
/// It runs each accepted query in a transaction that it rolls back, under a statement timeout, and
/// stops the fuzzer when the query was given a transaction id (it wrote a row, a table or a
/// sequence), took an advisory lock, moved a sequence, ended a session or left one waiting.
final class PostgresFuzzHarness: @unchecked Sendable {
    /// The harness for the server in `CAIRN_FUZZ_POSTGRES`, or nil when it is not set.
    static let shared: PostgresFuzzHarness? = {
        guard let text = ProcessInfo.processInfo.environment["CAIRN_FUZZ_POSTGRES"], !text.isEmpty else { return nil }
        do {
            return try PostgresFuzzHarness(server: PostgresURL(text))
        } catch {
            FileHandle.standardError.write(Data("cairn-fuzz: cannot set up PostgreSQL at CAIRN_FUZZ_POSTGRES: \(error)\n".utf8))
            exit(2)
        }
    }()

    /// Objects a bypass would use: a table and a sequence to write, a view and functions that write,
    /// an operator over one of them, a domain whose check writes.
    static let canarySQL = """
        CREATE TABLE canary (x integer);
        CREATE SEQUENCE canary_seq;
        CREATE VIEW canary_view AS SELECT nextval('canary_seq') AS n;
        CREATE FUNCTION canary_write() RETURNS jsonb LANGUAGE sql AS $$ INSERT INTO canary VALUES (1); SELECT '{}'::jsonb $$;
        CREATE FUNCTION canary_add(integer, integer) RETURNS integer LANGUAGE sql AS $$ INSERT INTO canary VALUES (1); SELECT $1 + $2 $$;
        CREATE OPERATOR #~# (LEFTARG = integer, RIGHTARG = integer, FUNCTION = canary_add);
        CREATE FUNCTION canary_check(t text) RETURNS boolean LANGUAGE plpgsql AS $$
          BEGIN INSERT INTO canary VALUES (7); RETURN true; END $$;
        CREATE DOMAIN canary_domain AS text CHECK (canary_check(VALUE));
        """

    let store: PostgresStore
    let gate: PostgresQueryGate
    let oracle: PostgresSession
    let url: PostgresURL
    let server: PostgresURL
    var probes = 0
    var accepted = 0

    private init(server: PostgresURL) throws {
        self.server = server
        let name = "cairn_fuzz_\(getpid())"
        try server.administer("DROP DATABASE IF EXISTS \(name)")
        try server.administer("CREATE DATABASE \(name)")
        url = server.database(name)
        store = try PostgresStore(url: url, domain: DemoApplication.domain, mode: .createIfNeeded)
        _ = try DemoGenerator().build(into: store, size: .small) { _ in }
        oracle = try PostgresSession(url: url, applicationName: "cairn-fuzz-oracle")
        for statement in PostgresSQL.statements(Self.canarySQL) {
            try oracle.execute(statement)
        }
        gate = PostgresQueryGate(store: store)
        proveOracleSees()
        atexit {
            guard let harness = PostgresFuzzHarness.shared else { return }
            FileHandle.standardError.write(Data(
                "cairn-fuzz: PostgreSQL: \(harness.probes) queries through the gate, \(harness.accepted) accepted and run unguarded, no write got through\n".utf8))
            harness.oracle.close()
            harness.store.close()
            try? harness.server.administer("DROP DATABASE IF EXISTS \(PostgresSQL.identifier(harness.url.database)) WITH (FORCE)")
        }
    }

    /// Checks `sql` with the PostgreSQL gate; when accepted, proves it writes nothing.
    func probe(_ sql: String) {
        probes += 1
        guard case .success(let query) = gate.check(sql, requireCandidateColumns: true) else { return }
        accepted += 1
        let findings = unguardedFindings(query.body)
        if !findings.isEmpty {
            FileHandle.standardError.write(Data(
                "read-only bypass on PostgreSQL: the gate accepted a statement that \(findings.joined(separator: "; ")):\n\(sql)\n".utf8))
            abort()
        }
    }

    /// Runs `body` on the unguarded session in a transaction it rolls back, and says what it changed.
    func unguardedFindings(_ body: String) -> [String] {
        let before = fingerprint()
        var findings: [String] = []
        do {
            try oracle.execute("BEGIN", timeout: 10)
            try oracle.execute("SET LOCAL statement_timeout = 2000", timeout: 10)
            try oracle.execute("SET LOCAL lock_timeout = 1000", timeout: 10)
            try oracle.execute("SAVEPOINT fuzz", timeout: 10)
            do {
                // Counted on the server: a query the gate let through may return millions of rows.
                try oracle.execute("SELECT count(*) FROM (\n\(body)\n) AS fuzz_query", timeout: 10)
            } catch is PostgresSessionClosed {
                findings.append("did not return within 10 s although statement_timeout is 2 s")
            } catch {
                try oracle.execute("ROLLBACK TO SAVEPOINT fuzz", timeout: 10)
            }
            if findings.isEmpty {
                let row = try oracle.rows("""
                    SELECT pg_current_xact_id_if_assigned() IS NOT NULL,
                           (SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory')
                    """).first?.values ?? []
                if row.first?.int == 1 { findings.append("was given a transaction id: it wrote") }
                if (row.last?.int ?? 0) > 0 { findings.append("took an advisory lock") }
                try oracle.execute("ROLLBACK", timeout: 10)
            }
        } catch {
            findings.append("left the unguarded session failing: \(error)")
        }
        if findings.isEmpty {
            let after = fingerprint()
            if after != before { findings.append("moved the server's state: \(before) became \(after)") }
        }
        return findings
    }

    /// Stops the fuzzer when the unguarded session would not see a write, a sequence or a lock:
    /// a blind oracle would let every bypass through unnoticed.
    private func proveOracleSees() {
        for body in [
            "SELECT canary_write() AS payload",
            "SELECT jsonb_build_object('n', nextval('canary_seq')) AS payload",
            "SELECT jsonb_build_object('l', pg_advisory_lock(7)) AS payload",
        ] where unguardedFindings(body).isEmpty {
            FileHandle.standardError.write(Data("cairn-fuzz: the PostgreSQL oracle did not see what this query does: \(body)\n".utf8))
            abort()
        }
        _ = try? oracle.execute("SELECT pg_advisory_unlock_all()")
        _ = try? oracle.execute("ALTER SEQUENCE canary_seq RESTART")
    }

    /// What a rolled-back query must leave as it was: sequences, session advisory locks, the
    /// canary table, the store's sessions and the number of sessions on the database.
    private func fingerprint() -> String {
        let rows = (try? oracle.rows("""
            SELECT (SELECT coalesce(string_agg(sequencename || '=' || coalesce(last_value::text, '-'), ',' ORDER BY sequencename), '')
                    FROM pg_sequences),
                   (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
                      AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                      AND pid = pg_backend_pid()),
                   (SELECT count(*) FROM canary),
            """))
        let values = rows?.first?.values.map { $0.string ?? $0.int.map(String.init) ?? "?" } ?? ["the oracle cannot read"]
        let storeAlive = (try? store.withSession { try $0.rows("SELECT 1").count }) == 1
        return values.joined(separator: " ") + (storeAlive ? "" : " store-session-gone")
    }
}
