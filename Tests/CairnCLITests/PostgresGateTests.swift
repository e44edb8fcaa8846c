import Foundation
import Testing

@Suite("PostgreSQL: the read-only gate", .enabled(if: PostgresServer.available, "PostgreSQL is not installed (CI installs it)"))
struct PostgresGateTests {
    /// Candidate queries that would write, lock, signal or read the server's files, each refused
    /// by `verify` before anything runs. Spellings vary: case, comments, quoting, schema prefixes,
    /// subqueries, and side effects hidden in a view or a function of the user's own.
    static let bypasses: [(name: String, sql: String)] = [
        ("second-statement", "SELECT '{}'::jsonb AS payload; DELETE FROM canary"),
        ("second-statement-after-comment", "SELECT '{}'::jsonb AS payload /* ; */ ; -- x\n DELETE FROM canary"),
        ("data-modifying-cte", "WITH gone AS (DELETE FROM canary RETURNING 1) SELECT '{}'::jsonb AS payload FROM gone"),
        ("insert-cte", "WITH added AS (INSERT INTO canary VALUES (1) RETURNING x) SELECT jsonb_build_object('x', x) AS payload FROM added"),
        ("for-update", "SELECT '{}'::jsonb AS payload FROM canary FOR UPDATE"),
        ("for-share-lowercase", "select '{}'::jsonb as payload from canary for share"),
        ("for-no-key-update-subquery", "SELECT '{}'::jsonb AS payload FROM (SELECT x FROM canary FOR NO KEY UPDATE) c"),
        ("nextval", "SELECT jsonb_build_object('n', nextval('canary_seq')) AS payload"),
        ("nextval-shouting", "SELECT JSONB_BUILD_OBJECT('n', NEXTVAL('canary_seq')) AS payload"),
        ("nextval-commented", "SELECT jsonb_build_object('n', nextval/**/('canary_seq')) AS payload"),
        ("nextval-quoted", "SELECT jsonb_build_object('n', \"nextval\"('canary_seq')) AS payload"),
        ("nextval-qualified", "SELECT jsonb_build_object('n', pg_catalog.nextval('canary_seq')) AS payload"),
        ("nextval-in-subquery", "SELECT jsonb_build_object('n', (SELECT nextval('canary_seq'))) AS payload"),
        ("setval", "SELECT jsonb_build_object('n', setval('canary_seq', 99)) AS payload"),
        ("advisory-lock", "SELECT jsonb_build_object('l', pg_advisory_lock(42)) AS payload"),
        ("advisory-try-lock", "SELECT jsonb_build_object('l', pg_try_advisory_xact_lock(42)) AS payload"),
        ("set-config", "SELECT jsonb_build_object('s', set_config('statement_timeout', '0', false)) AS payload"),
        ("read-file", "SELECT jsonb_build_object('f', pg_read_file('/etc/hostname')) AS payload"),
        ("read-binary-file", "SELECT jsonb_build_object('f', pg_read_binary_file('/etc/hostname')::text) AS payload"),
        ("ls-dir", "SELECT jsonb_build_object('f', d) AS payload FROM pg_ls_dir('.') AS d"),
        ("terminate", "SELECT jsonb_build_object('t', pg_terminate_backend(pg_backend_pid())) AS payload"),
        ("cancel", "SELECT jsonb_build_object('t', pg_cancel_backend(1)) AS payload"),
        ("notify", "SELECT jsonb_build_object('n', pg_notify('cairn', 'x')) AS payload"),
        ("txid-current", "SELECT jsonb_build_object('x', txid_current()) AS payload"),
        ("current-xact-id", "SELECT jsonb_build_object('x', pg_current_xact_id()::text) AS payload"),
        ("large-object", "SELECT jsonb_build_object('o', lo_create(0)) AS payload"),
        ("large-object-import", "SELECT jsonb_build_object('o', lo_import('/etc/hostname')) AS payload"),
        ("sleep", "SELECT jsonb_build_object('s', pg_sleep(30)) AS payload"),
        ("do-block", "DO $$ BEGIN DELETE FROM canary; END $$"),
        ("call", "CALL canary_procedure()"),
        ("copy", "COPY canary FROM PROGRAM 'true'"),
        ("copy-to", "COPY (SELECT 1) TO '/tmp/cairn-gate-copy'"),
        ("delete", "DELETE FROM canary RETURNING '{}'::jsonb AS payload"),
        ("update-parenthesised", "(UPDATE canary SET x = 2 RETURNING '{}'::jsonb AS payload)"),
        ("own-function", "SELECT canary_write() AS payload"),
        ("own-function-qualified", "SELECT public.canary_write() AS payload"),
        ("view-hiding-nextval", "SELECT jsonb_build_object('n', n) AS payload FROM canary_view"),
        ("view-of-view", "SELECT jsonb_build_object('n', n) AS payload FROM canary_view_of_view"),
        ("own-operator", "SELECT jsonb_build_object('x', 1 #~# 2) AS payload"),
        ("dblink", "SELECT jsonb_build_object('x', x) AS payload FROM dblink('dbname=postgres', 'DELETE FROM canary') AS t(x text)"),
        ("explain-analyze", "EXPLAIN ANALYZE DELETE FROM canary"),
        ("set-role", "SET ROLE postgres"),
        ("vacuum", "VACUUM canary"),
        ("listen", "LISTEN cairn"),
        // Found by an outside tester: user code run by a domain's CHECK, a row-security policy, or a
        // built-in that runs a query or a view given by name.
        ("domain-check", "SELECT jsonb_build_object('t', ('x'::canary_domain)::text) AS payload"),
        ("domain-check-function-form", "SELECT jsonb_build_object('t', CAST('x' AS canary_domain)) AS payload"),
        ("row-security-policy", "SELECT jsonb_build_object('x', x) AS payload FROM canary_guarded"),
        ("row-security-through-view", "SELECT jsonb_build_object('x', x) AS payload FROM canary_guarded_view"),
        ("table-to-xml-view", "SELECT jsonb_build_object('t', length(table_to_xml('canary_view'::regclass, true, false, '')::text)) AS payload"),
        ("query-to-xml", "SELECT jsonb_build_object('t', query_to_xml('SELECT nextval(''canary_seq'')', true, false, '')::text) AS payload"),
        ("schema-to-xml", "SELECT jsonb_build_object('t', schema_to_xml('public', true, false, '')::text) AS payload"),
        ("ts-stat", "SELECT jsonb_build_object('t', word) AS payload FROM ts_stat('SELECT to_tsvector(nextval(''canary_seq'')::text)')"),
    ]

    @Test("every bypass of the corpus is refused by name before anything runs, and nothing is written")
    func bypassCorpusIsRefused() throws {
        let pg = try PostgresWorkspace(seeds: false)
        try pg.buildDemo()
        try pg.sql("""
            CREATE TABLE canary (x integer);
            CREATE SEQUENCE canary_seq;
            CREATE VIEW canary_view AS SELECT nextval('canary_seq') AS n;
            CREATE VIEW canary_view_of_view AS SELECT n FROM canary_view;
            CREATE FUNCTION canary_write() RETURNS jsonb LANGUAGE sql AS $$ INSERT INTO canary VALUES (1); SELECT '{}'::jsonb $$;
            CREATE FUNCTION canary_add(integer, integer) RETURNS integer LANGUAGE sql AS $$ INSERT INTO canary VALUES (1); SELECT $1 + $2 $$;
            CREATE OPERATOR #~# (LEFTARG = integer, RIGHTARG = integer, FUNCTION = canary_add);
            CREATE PROCEDURE canary_procedure() LANGUAGE sql AS $$ INSERT INTO canary VALUES (1) $$;
            CREATE FUNCTION canary_check(t text) RETURNS boolean LANGUAGE plpgsql AS $$
              BEGIN PERFORM set_config('role', session_user, true); INSERT INTO canary VALUES (7); RETURN true; END $$;
            CREATE DOMAIN canary_domain AS text CHECK (canary_check(VALUE));
            CREATE TABLE canary_guarded (x integer);
            INSERT INTO canary_guarded VALUES (1);
            ALTER TABLE canary_guarded ENABLE ROW LEVEL SECURITY;
            ALTER TABLE canary_guarded FORCE ROW LEVEL SECURITY;
            CREATE POLICY canary_policy ON canary_guarded USING (canary_check('rls'));
            CREATE VIEW canary_guarded_view AS SELECT x FROM canary_guarded;
            """)
        for (index, bypass) in Self.bypasses.enumerated() {
            let id = String(format: "2026-01-%02d-%@", index % 28 + 1, bypass.name)
            try pg.workspace.write(
                "seeds/postgres/\(id).sql", "-- description: bypass \(bypass.name)\n\n-- @write tenant:write:create\n\(bypass.sql)\n")
        }
        let events = try pg.scalar("SELECT count(*) FROM events")
        let verify = try pg.cairn("verify")
        #expect(verify.status == 2, "\(verify.output)")
        for bypass in Self.bypasses {
            #expect(verify.output.contains(bypass.name), "the refusal names \(bypass.name): \(verify.output)")
        }
        let up = try pg.cairn("up")
        #expect(up.status == 2, "\(up.output)")
        let dryRun = try pg.cairn("dry-run")
        #expect(dryRun.status == 2, "\(dryRun.output)")
        #expect(try pg.scalar("SELECT count(*) FROM canary") == 0)
        #expect(try pg.sql("SELECT is_called FROM canary_seq") == "f")
        #expect(try pg.scalar("SELECT count(*) FROM events") == events)
        #expect(try pg.scalar("SELECT count(*) FROM cairn_markers") == 0)
        #expect(try pg.scalar("""
            SELECT count(*) FROM pg_locks
            WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """) == 0)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/cairn-gate-copy"))
    }

    @Test("a query with several problems is refused with all of them; empty or padded tenants and numbers past a double are named")
    func everyProblemIsListed() throws {
        let pg = try PostgresWorkspace(seeds: false)
        try pg.buildDemo()
        try pg.sql("CREATE SEQUENCE canary_seq; CREATE FUNCTION canary_one() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;")
        let seeds = [
            ("2026-03-01-many-problems", "tenant:write:create", """
                SELECT jsonb_build_object('n', nextval('canary_seq'), 'm', setval('canary_seq', 5), 'o', canary_one()) AS body
                FROM tenants FOR UPDATE
                """),
            ("2026-03-02-empty-tenant", "tenant:write:update-member-roles", """
                SELECT jsonb_build_object('userId', 'u-admin', 'tenantId', 'acme', 'roles', jsonb_build_array('Admin')) AS payload,
                       '' AS stream_tenant
                """),
            ("2026-03-03-padded-tenant", "tenant:write:update-member-roles", """
                SELECT jsonb_build_object('userId', 'u-admin', 'tenantId', 'acme', 'roles', jsonb_build_array('Admin')) AS payload,
                       E'\\tacme' AS stream_tenant
                """),
            ("2026-03-04-huge-number", "tenant:write:update-member-roles", """
                SELECT jsonb_build_object('userId', 'u-admin', 'tenantId', 'acme', 'roles', jsonb_build_array('Admin'),
                                          'weight', 1e400::numeric) AS payload
                """),
        ]
        for (id, handler, sql) in seeds {
            try pg.workspace.write("seeds/postgres/\(id).sql", "-- description: \(id)\n\n-- @write \(handler)\n\(sql)\n")
        }
        let events = try pg.scalar("SELECT count(*) FROM events")
        let verify = try pg.cairn("verify")
        #expect(verify.status == 2, "\(verify.output)")
        for text in [
            "locks the rows it reads (FOR UPDATE)", "nextval(), setval()", "public.canary_one(), which is not a built-in",
            "column", "the stream_tenant column is empty", "begins or ends with whitespace",
            "JSON beyond what Cairn keeps (number out of range",
        ] {
            #expect(verify.output.contains(text), "verify should say \"\(text)\":\n\(verify.output)")
        }
        #expect(try pg.scalar("SELECT count(*) FROM events") == events)
        #expect(try pg.sql("SELECT is_called FROM canary_seq") == "f")
    }

    @Test("init against a database where the user may not create tables writes no cairn.toml and says what to grant")
    func initWithoutSchemaRightsWritesNothing() throws {
        let pg = try PostgresWorkspace(seeds: false)
        let user = "cairn_norights_\(getpid())"
        try pg.server.sql("CREATE ROLE \(user) LOGIN PASSWORD 'secret-\(getpid())'")
        let url = pg.server.url(pg.server.databaseName(pg.url), user: user, password: "secret-\(getpid())")
        let result = try CairnProcess.run(["init", "--db", url], in: pg.workspace.url)
        #expect(result.status != 0, "\(result.output)")
        #expect(result.output.contains("permission") || result.output.contains("grant"), "\(result.output)")
        #expect(!result.output.contains("secret-\(getpid())"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: pg.workspace.path("cairn.toml")), "\(result.output)")
        #expect(try pg.scalar("SELECT count(*) FROM pg_tables WHERE tablename = 'events'") == 0)
    }

    @Test("the gate lets ordinary reads through: jsonb operators, aggregates, CTEs, window functions, random ids")
    func ordinaryQueriesPass() throws {
        let pg = try PostgresWorkspace(seeds: false)
        try pg.buildDemo()
        let queries = [
            "SELECT jsonb_build_object('tenantId', 't-' || id, 'slug', 's-' || id, 'name', upper(name)) AS payload FROM tenants WHERE false",
            """
            WITH admins AS (SELECT user_id, count(*) AS n FROM memberships WHERE roles ? 'Admin' GROUP BY user_id)
            SELECT jsonb_build_object('tenantId', 'x' || row_number() OVER (ORDER BY user_id), 'slug', 'y', 'name', n::text) AS payload
            FROM admins WHERE false
            """,
            "SELECT json_build_object('tenantId', gen_random_uuid()::text, 'slug', md5(random()::text), 'name', now()::text) AS payload WHERE false",
            "SELECT '{\"tenantId\": \"q\", \"slug\": \"q\", \"name\": \"q\"}'::text AS payload WHERE 1 = 0",
            // Candidate queries run as the role that may only read.
            "SELECT jsonb_build_object('tenantId', 'as-' || current_user, 'slug', 'as-role', 'name', 'role') AS payload WHERE NOT EXISTS (SELECT 1 FROM tenants WHERE slug = 'as-role')",
        ]
        for (index, sql) in queries.enumerated() {
            try pg.workspace.write(
                "seeds/postgres/2026-02-0\(index + 1)-ordinary.sql", "-- description: an ordinary read\n\n-- @write tenant:write:create\n\(sql)\n")
        }
        let verify = try pg.cairn("verify")
        #expect(verify.status == 0, "\(verify.output)")
        let up = try pg.cairn("up")
        #expect(up.status == 0, "\(up.output)")
        #expect(try pg.sql("SELECT id FROM tenants WHERE slug = 'as-role'") == "as-cairn_reader")
        #expect(try pg.sql("SELECT has_table_privilege('cairn_reader', 'events', 'INSERT')") == "f")
    }
}
