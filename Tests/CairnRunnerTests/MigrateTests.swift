import CairnDemo
@testable import CairnRunner
import CairnStore
import Foundation
import GRDB
import Testing

/// A seed that falls into the stream-tenant trap: the admin's globex membership lives in acme's stream.
let grantResponderForgettingStreamTenant = """
    -- description: responder for admins, forgetting the stream tenant
    -- @write tenant:write:update-member-roles
    SELECT json_object('userId', m.user_id, 'tenantId', m.tenant_id,
                       'roles', json_insert(m.roles, '$[#]', 'Responder')) AS payload
    FROM memberships m WHERE m.id = 'm-admin-globex'
      AND NOT EXISTS (SELECT 1 FROM json_each(m.roles) WHERE value = 'Responder');
    """

@Suite("Applying migrations")
struct MigrateTests {
    @Test("a migration is applied once: the second up finds nothing to do and records no run")
    func appliesOnce() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-05-20-fix-admin-roles", fixAdminRoles)
        let first = try fixture.up()
        #expect(first.applied.map(\.id) == ["2026-05-20-fix-admin-roles"])
        #expect(first.applied.first?.events == 2)
        let events = try fixture.count("SELECT count(*) FROM events")
        let second = try fixture.up()
        #expect(second.runId == nil)
        #expect(second.applied.isEmpty)
        #expect(try fixture.count("SELECT count(*) FROM events") == events)
        #expect(try fixture.count("SELECT count(*) FROM cairn_runs") == 1)
        #expect(try fixture.count("SELECT count(*) FROM cairn_markers") == 1)
    }

    @Test("fix-admin-roles writes tenant-membership.updated through the handler and the read model follows")
    func fixAdminRolesThroughHandlers() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-05-20-fix-admin-roles", fixAdminRoles)
        try fixture.up()
        let roles = try fixture.store.read { db in
            try String.fetchAll(db, sql: "SELECT roles FROM memberships WHERE user_id = 'u-admin' ORDER BY tenant_id")
        }
        #expect(roles == [#"["Admin","TenantAdmin"]"#, #"["Admin","TenantAdmin"]"#])
        let types = try fixture.store.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT type FROM events WHERE migration_id IS NOT NULL")
        }
        #expect(types == ["tenant-membership.updated"])
    }

    @Test("events a migration writes carry its migration id and run id, in metadata and columns")
    func eventsAreTagged() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-05-20-fix-admin-roles", fixAdminRoles)
        let outcome = try fixture.up()
        let rows = try fixture.store.read { db in
            try Row.fetchAll(db, sql: "SELECT metadata, migration_id, run_id FROM events WHERE migration_id IS NOT NULL")
        }
        #expect(rows.count == 2)
        for row in rows {
            let metadata = try JSONValue(parsing: row["metadata"]).objectValue ?? [:]
            #expect(metadata["migrationId"] == "2026-05-20-fix-admin-roles")
            #expect(metadata["runId"] == .int(outcome.runId!))
            #expect(metadata["actor"] == "system")
            #expect(metadata["handler"] == "tenant:write:update-member-roles")
            #expect(row["migration_id"] as String == "2026-05-20-fix-admin-roles")
            #expect(row["run_id"] as Int64 == outcome.runId!)
        }
    }

    @Test("migrations run in id order and stop at the first failure; the failed run keeps its log and error")
    func stopsAtFirstFailure() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-05-01-a-fine-one", """
            -- description: open one incident
            -- @write incident:write:open
            SELECT json_object('incidentId', 'i-new', 'tenantId', 'acme', 'title', 't', 'severity', 'low') AS payload
            WHERE NOT EXISTS (SELECT 1 FROM incidents WHERE id = 'i-new');
            """)
        try fixture.seed("2026-05-02-a-broken-one", """
            -- description: a bad severity
            -- @write incident:write:open
            SELECT json_object('incidentId', 'i-bad', 'tenantId', 'acme', 'title', 't', 'severity', 'apocalyptic') AS payload
            WHERE NOT EXISTS (SELECT 1 FROM incidents WHERE id = 'i-bad');
            """)
        try fixture.seed("2026-05-03-never-reached", """
            -- description: never runs
            -- @write incident:write:open
            SELECT json_object('incidentId', 'i-later', 'tenantId', 'acme', 'title', 't', 'severity', 'low') AS payload
            WHERE NOT EXISTS (SELECT 1 FROM incidents WHERE id = 'i-later');
            """)
        let error = #expect(throws: RunnerError.self) { try fixture.up() }
        guard case .migrationFailed(let failure, let run) = error else {
            Issue.record("expected a migration failure, got \(String(describing: error))")
            return
        }
        #expect(error?.exitCode == 1)
        #expect(failure.migrationId == "2026-05-02-a-broken-one")
        #expect(failure.row == 1)
        #expect(failure.block == 1)
        #expect(failure.error.contains("payload field 'severity' must be one of"))
        #expect(failure.payload?.contains("apocalyptic") == true)
        #expect(try fixture.count("SELECT count(*) FROM cairn_markers") == 1)
        #expect(try fixture.count("SELECT count(*) FROM incidents WHERE id IN ('i-bad', 'i-later')") == 0)
        let record = try #require(try fixture.runner().history.run(run))
        #expect(record.status == .failed)
        #expect(record.error?.contains("2026-05-02-a-broken-one failed at block 1") == true)
        let lines = try fixture.runner().history.lines(run: run).map(\.message)
        #expect(lines.contains { $0.hasPrefix("✓ 2026-05-01-a-fine-one") })
        #expect(lines.contains { $0.hasPrefix("✗ 2026-05-02-a-broken-one failed") && $0.contains("apocalyptic") })
        #expect(lines.contains("stopped at 2026-05-02-a-broken-one; later migrations did not run"))
        let status = try fixture.runner().status()
        #expect(status.migrations.map(\.state) == [.applied, .failed, .pending])
    }

    @Test("the stream-tenant trap is reported as a version conflict naming the tenant to pass")
    func streamTenantTrapNamesTenant() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-05-21-grant-responder", grantResponderForgettingStreamTenant)
        let error = #expect(throws: RunnerError.self) { try fixture.up() }
        guard case .migrationFailed(let failure, _) = error else {
            Issue.record("expected a migration failure")
            return
        }
        #expect(failure.error.contains("the stream lives in tenant acme, not globex"))
        #expect(failure.advice?.contains("stream_tenant = 'acme'") == true)
    }

    @Test("a failed migration keeps its typed cause: an application can catch the VersionConflict or the HandlerRejection")
    func failureKeepsTypedCause() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-05-21-grant-responder", grantResponderForgettingStreamTenant)
        do {
            try fixture.up()
            Issue.record("the trap should fail")
        } catch RunnerError.migrationFailed(let failure, _) where failure.cause is VersionConflict {
            let conflict = try #require(failure.cause as? VersionConflict)
            #expect(conflict.owningTenant == "acme" && conflict.tenant == "globex")
            #expect(failure.exitCode == 1)
        }
        try fixture.removeSeed("2026-05-21-grant-responder")
        try fixture.seed("2026-05-22-resolve-nothing", """
            -- description: resolve an incident that does not exist
            -- @write incident:write:resolve
            SELECT json_object('incidentId', 'i-nope', 'tenantId', 'acme') AS payload;
            """)
        do {
            try fixture.up()
            Issue.record("resolving a missing incident should fail")
        } catch RunnerError.migrationFailed(let failure, _) {
            #expect(failure.cause is HandlerRejection, "\(String(describing: failure.cause))")
            #expect((failure.cause as? any ExplainedError)?.exitCode == 1)
        }
    }

    @Test("a stream_tenant of the wrong type past the rows validation samples is a row error naming the column, not a crash")
    func wronglyTypedStreamTenantIsARowError() throws {
        for value in ["42", "3.5", "x'ff'"] {
            let fixture = try Fixture()
            try fixture.seed("2026-06-01-typed", """
                -- description: open ten incidents, the eighth with a stream tenant that is not text
                -- @write incident:write:open
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10)
                SELECT json_object('incidentId', 'i-typed-' || i, 'tenantId', 'acme', 'title', 't', 'severity', 'low') AS payload,
                       CASE WHEN i = 8 THEN \(value) END AS stream_tenant
                FROM n WHERE NOT EXISTS (SELECT 1 FROM incidents WHERE id = 'i-typed-' || n.i);
                """)
            let error = #expect(throws: RunnerError.self) { try fixture.up() }
            guard case .migrationFailed(let failure, let run)? = error else {
                Issue.record("expected a migration failure for \(value)")
                continue
            }
            #expect(failure.row == 8, "\(value)")
            #expect(failure.error.contains("the stream_tenant column is"), "\(failure.error)")
            #expect(try fixture.runner().history.run(run)?.status == .failed)
            #expect(try fixture.count("SELECT count(*) FROM cairn_lock") == 0)
        }
    }

    @Test("a NUL in a payload string, a raw NUL after the payload or a NUL in stream_tenant is a row error in up and the dry-run alike, and nothing of the row is written")
    func nulInARowIsARowErrorEverywhere() throws {
        let cases: [(payload: String, tenant: String, says: String)] = [
            ("json_object('incidentId', 'i-nul-' || i, 'tenantId', 'acme', 'title', CASE WHEN i = 8 THEN 'nul:' || char(0) || ':after' ELSE 't' END, 'severity', 'low')",
             "NULL", "payload field 'title' holds a NUL character"),
            ("json_object('incidentId', 'i-nul-' || i, 'tenantId', 'acme', 'title', 't', 'severity', 'low') || CASE WHEN i = 8 THEN char(0) || 'x' ELSE '' END",
             "NULL", "not valid JSON"),
            ("json_object('incidentId', 'i-nul-' || i, 'tenantId', 'acme', 'title', 't', 'severity', 'low')",
             "CASE WHEN i = 8 THEN 'ac' || char(0) || 'me' END", "the stream_tenant column holds a NUL character"),
            ("json_object('incidentId', 'i-nul-' || i, 'tenantId', 'acme', 'title', 't', 'severity', 'low', CASE WHEN i = 8 THEN 'k' || char(0) ELSE 'k' END, 1)",
             "NULL", "a key of the payload holds a NUL character"),
        ]
        for (payload, tenant, says) in cases {
            let fixture = try Fixture()
            try fixture.seed("2026-06-01-nul-row", """
                -- description: open ten incidents, the eighth with a NUL somewhere in its row
                -- @write incident:write:open
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10)
                SELECT \(payload) AS payload, \(tenant) AS stream_tenant
                FROM n WHERE NOT EXISTS (SELECT 1 FROM incidents WHERE id = 'i-nul-' || n.i);
                """)
            let report = try fixture.runner().dryRun(logger: quietLogger)
            let preview = try #require(report.migrations.first)
            #expect(preview.rejections.map(\.row) == [8], "\(says): \(preview.rejections)")
            #expect(preview.rejections.first?.error.contains(says) == true, "\(String(describing: preview.rejections.first?.error))")
            #expect(!preview.events.contains { (event: StoredEvent) in event.payload.contains("\\u0000") })
            let error = #expect(throws: RunnerError.self) { try fixture.up() }
            guard case .migrationFailed(let failure, let run)? = error else {
                Issue.record("expected a row failure for \(says)")
                continue
            }
            #expect(failure.row == 8, "\(says)")
            #expect(failure.error.contains(says), "\(failure.error)")
            if says == "not valid JSON" {
                let logged = try fixture.runner().history.lines(run: run).map(\.message).joined(separator: "\n")
                #expect(logged.contains("\"low\"}^@x"), "the log keeps the whole payload, its NUL made visible:\n\(logged)")
            }
            #expect(try fixture.count("SELECT count(*) FROM events WHERE instr(payload, '\\u0000') > 0 OR instr(CAST(payload AS BLOB), x'00') > 0") == 0)
            #expect(try fixture.count("SELECT count(*) FROM incidents WHERE id = 'i-nul-8' OR instr(CAST(title AS BLOB), x'00') > 0") == 0)
        }
    }

    @Test("a rejected row's payload of hundreds of kilobytes is cut to 2,000 bytes in the failure, with its size")
    func hugePayloadIsCutInTheFailure() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-06-01-huge", """
            -- description: one incident with a severity the handler refuses and a 400 KB title
            -- @write incident:write:open
            SELECT json_object('incidentId', 'i-huge', 'tenantId', 'acme', 'title', printf('%0400000d', 1), 'severity', 'apocalyptic') AS payload
            WHERE NOT EXISTS (SELECT 1 FROM incidents WHERE id = 'i-huge');
            """)
        let error = #expect(throws: RunnerError.self) { try fixture.up() }
        guard case .migrationFailed(let failure, _)? = error else {
            Issue.record("expected a row failure")
            return
        }
        #expect(failure.summary.utf8.count < 3_000, "\(failure.summary.utf8.count) bytes")
        #expect(failure.summary.contains("bytes in all"), "\(failure.summary.suffix(200))")
        #expect(failure.payload?.utf8.count ?? 0 > 400_000, "the failure keeps the whole payload for scripts")
    }

    @Test("a NUL byte in a seed's SQL refuses the migration with file and line: the WHERE after it is never cut off")
    func nulByteRefusesTheSeed() throws {
        let fixture = try Fixture()
        let open = try fixture.count("SELECT count(*) FROM incidents WHERE status = 'open'")
        #expect(open > 0)
        try fixture.seed("2026-06-01-nul", """
            -- description: resolve nothing, says the WHERE clause after the NUL
            -- @write incident:write:resolve
            SELECT json_object('incidentId', i.id, 'tenantId', i.tenant_id) AS payload
            FROM incidents i WHERE i.status = 'open'\u{0} AND i.id = 'nonexistent';
            """)
        let error = #expect(throws: RunnerError.self) { try fixture.up() }
        #expect(error?.exitCode == 2)
        #expect(error?.summary.contains("2026-06-01-nul.sql:4") == true, "\(String(describing: error?.summary))")
        #expect(error?.summary.contains("NUL byte") == true)
        #expect(try fixture.count("SELECT count(*) FROM incidents WHERE status = 'open'") == open)
    }

    @Test("atomic: true leaves nothing behind when a later row fails")
    func atomicLeavesNothing() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-06-01-atomic", """
            -- description: resolve every open incident, then fail on a made-up one
            -- atomic: true
            -- batch: 2

            -- @write incident:write:resolve
            SELECT json_object('incidentId', id, 'tenantId', tenant_id) AS payload
            FROM incidents WHERE status = 'open' ORDER BY id;

            -- @write incident:write:resolve
            SELECT json_object('incidentId', 'i-does-not-exist', 'tenantId', 'acme') AS payload;
            """)
        let before = try fixture.dataFingerprint()
        #expect(throws: RunnerError.self) { try fixture.up() }
        #expect(try fixture.dataFingerprint() == before)
        #expect(try fixture.count("SELECT count(*) FROM incidents WHERE status = 'open'") > 2)
    }

    @Test("without atomic, batches before a failure stay committed and no marker is written")
    func batchesBeforeFailureStay() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-06-01-batched", """
            -- description: resolve open incidents, then fail
            -- batch: 2

            -- @write incident:write:resolve
            SELECT json_object('incidentId', id, 'tenantId', tenant_id) AS payload
            FROM incidents WHERE status = 'open' ORDER BY id;

            -- @write incident:write:resolve
            SELECT json_object('incidentId', 'i-does-not-exist', 'tenantId', 'acme') AS payload;
            """)
        #expect(throws: RunnerError.self) { try fixture.up() }
        #expect(try fixture.count("SELECT count(*) FROM incidents WHERE status = 'open'") == 0)
        #expect(try fixture.count("SELECT count(*) FROM cairn_markers") == 0)
    }

    @Test("a seed whose rows come back unchanged after being written is stopped as not idempotent")
    func repeatedRowIsNotIdempotent() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-06-01-loop", """
            -- description: sets the admin's roles without checking they are already set
            -- @write tenant:write:update-member-roles
            SELECT json_object('userId', 'u-admin', 'tenantId', 'acme', 'roles', json_array('Admin', 'Viewer')) AS payload;
            """)
        let before = try fixture.dataFingerprint()
        let error = #expect(throws: RunnerError.self) { try fixture.up() }
        guard case .migrationFailed(let failure, _) = error else {
            Issue.record("expected a migration failure")
            return
        }
        #expect(failure.error.hasPrefix("not idempotent"))
        #expect(failure.advice?.contains("NOT EXISTS") == true)
        #expect(try fixture.dataFingerprint() == before)
    }

    @Test("a seed whose writes keep making new candidates is stopped instead of looping", arguments: [1, 3])
    func growingCandidatesAreNotIdempotent(batch: Int) throws {
        let fixture = try Fixture()
        // Each run of the handler appends an event, and the candidate counts the events:
        // every write makes a new candidate row.
        try fixture.seed("2026-06-01-grow", """
            -- description: keeps finding work
            -- batch: \(batch)
            -- @write tenant:write:update-member-roles
            SELECT json_object('userId', 'u-admin', 'tenantId', 'acme', 'roles', json_array('Admin'),
                               'n', (SELECT count(*) FROM events)) AS payload
            FROM (SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) LIMIT 3;
            """)
        let error = #expect(throws: RunnerError.self) { try fixture.up() }
        guard case .migrationFailed(let failure, _) = error else {
            Issue.record("expected a migration failure")
            return
        }
        #expect(failure.error.hasPrefix("not idempotent"))
        #expect(try fixture.count("SELECT count(*) FROM cairn_markers") == 0)
        // Whatever the batch, the loop is seen inside the first batch's transaction: nothing commits.
        #expect(try fixture.count("SELECT count(*) FROM events WHERE migration_id IS NOT NULL") == 0)
    }

    @Test("a function registered on the writer's connection cannot write from a candidate query, called by name or from a generated column",
          arguments: ["lower(label) = 'admin'", "shown = 'admin'"],
          ["INSERT INTO side_effects VALUES (1)", "CREATE TABLE IF NOT EXISTS made_by_query (n INTEGER)"])
    func registeredFunctionCannotWriteFromACandidateQuery(_ condition: String, write: String) throws {
        let fixture = try Fixture()
        try fixture.store.pool.write { db in
            try db.execute(sql: "CREATE TABLE side_effects (n INTEGER)")
            try db.execute(sql: "CREATE TABLE tagged (id TEXT PRIMARY KEY, label TEXT NOT NULL, shown TEXT AS (lower(label)) VIRTUAL)")
            try db.execute(sql: "INSERT INTO tagged (id, label) VALUES ('u-admin', 'ADMIN')")
        }
        // lower() replaced, on the writer's connection only, by one that writes: the gate's own
        // connection compiles the query with SQLite's lower(), and SQLite's authorizer does not
        // report a generated column's functions at all; only the runner's savepoint around the
        // query undoes the write, and its count of the connection's changes fails the run.
        fixture.store.pool.writeWithoutTransaction { db in
            nonisolated(unsafe) let writer = db
            db.add(function: DatabaseFunction("lower", argumentCount: 1, pure: true) { values in
                try writer.execute(sql: write)
                return (String.fromDatabaseValue(values[0]) ?? "").lowercased()
            })
        }
        try fixture.seed("2026-06-01-tag-admins", """
            -- description: makes the tagged users admins
            -- @write tenant:write:update-member-roles
            SELECT json_object('userId', id, 'tenantId', 'acme', 'roles', json_array('Admin', 'Responder')) AS payload
            FROM tagged WHERE \(condition)
              AND NOT EXISTS (SELECT 1 FROM memberships WHERE user_id = tagged.id AND tenant_id = 'acme'
                              AND roles = '["Admin","Responder"]');
            """)
        let error = #expect(throws: RunnerError.self) { try fixture.up() }
        guard case .migrationFailed(let failure, _) = error else {
            Issue.record("expected a migration failure, got \(String(describing: error))")
            return
        }
        #expect(failure.error.contains("the candidate query changed"), "\(failure.error)")
        #expect(failure.error.contains("undone"), "\(failure.error)")
        #expect(failure.advice?.contains("must only read") == true, "\(String(describing: failure.advice))")
        #expect(try fixture.count("SELECT count(*) FROM side_effects") == 0)
        #expect(try fixture.count("SELECT count(*) FROM sqlite_schema WHERE name = 'made_by_query'") == 0)
        #expect(try fixture.count("SELECT count(*) FROM events WHERE migration_id = '2026-06-01-tag-admins'") == 0)
        #expect(try fixture.count("SELECT count(*) FROM cairn_markers WHERE migration_id = '2026-06-01-tag-admins'") == 0)
    }

    @Test("a write no change count sees, made by a function a candidate query calls, is undone and the migration applies")
    func uncountedWriteFromACandidateQueryIsUndone() throws {
        let fixture = try Fixture()
        // PRAGMA user_version writes the file's header: neither a row nor the schema, so nothing
        // counts it, and the savepoint the query runs in takes it back all the same.
        fixture.store.pool.writeWithoutTransaction { db in
            nonisolated(unsafe) let writer = db
            db.add(function: DatabaseFunction("lower", argumentCount: 1, pure: true) { values in
                try writer.execute(sql: "PRAGMA user_version = 42")
                return (String.fromDatabaseValue(values[0]) ?? "").lowercased()
            })
        }
        try fixture.seed("2026-06-01-lower-admin", """
            -- description: makes u-admin a responder too
            -- @write tenant:write:update-member-roles
            SELECT json_object('userId', 'u-admin', 'tenantId', 'acme', 'roles', json_array('Admin', 'Responder')) AS payload
            WHERE lower('X') = 'x'
              AND NOT EXISTS (SELECT 1 FROM memberships WHERE user_id = 'u-admin' AND tenant_id = 'acme'
                              AND roles = '["Admin","Responder"]');
            """)
        _ = try fixture.up()
        #expect(try fixture.count("SELECT count(*) FROM cairn_markers WHERE migration_id = '2026-06-01-lower-admin'") == 1)
        #expect(try fixture.count("SELECT user_version FROM pragma_user_version") == 0)
    }

    @Test("a row written in an earlier batch that the candidate query returns again stops the run as not idempotent, past every count")
    func rowBackFromAnEarlierBatchIsNotIdempotent() throws {
        let fixture = try Fixture()
        // Three members; the first is a candidate again once the second has been written. The
        // first batch's counts see one row fewer after its write, and later batches take no
        // count (the block has not yet done the rows it expected): only the run's memory of
        // the rows it wrote can tell that the first came back.
        try fixture.seed("2026-06-01-come-back", """
            -- description: gives three members the Responder role, and wants the first one again
            -- batch: 1
            -- @write tenant:write:update-member-roles
            WITH picked AS (SELECT user_id FROM memberships WHERE tenant_id = 'acme' ORDER BY user_id LIMIT 3)
            SELECT json_object('userId', m.user_id, 'tenantId', m.tenant_id, 'roles', json_array('Responder')) AS payload
            FROM memberships m
            WHERE m.tenant_id = 'acme' AND m.user_id IN (SELECT user_id FROM picked)
              AND (m.roles <> '["Responder"]'
                   OR (m.user_id = (SELECT min(user_id) FROM picked)
                       AND EXISTS (SELECT 1 FROM memberships o WHERE o.tenant_id = 'acme' AND o.roles = '["Responder"]'
                                   AND o.user_id = (SELECT user_id FROM picked ORDER BY user_id LIMIT 1 OFFSET 1))))
            ORDER BY m.user_id;
            """)
        let error = #expect(throws: RunnerError.self) { try fixture.up() }
        guard case .migrationFailed(let failure, _) = error else {
            Issue.record("expected a migration failure")
            return
        }
        #expect(failure.error.hasPrefix("not idempotent"))
        #expect(failure.error.contains("written earlier in this run"), "\(failure.error)")
        #expect(try fixture.count("SELECT count(*) FROM cairn_markers") == 0)
        // The two batches before the row came back committed; the third did not.
        #expect(try fixture.count("SELECT count(*) FROM events WHERE migration_id = '2026-06-01-come-back'") == 2)
    }

    @Test("a candidate query that returns each row twice is stopped as not idempotent in its first batch, whatever the batch size",
          arguments: [2, 3, 256])
    func rowReturnedTwiceInOneBatchIsNotIdempotent(batch: Int) throws {
        let fixture = try Fixture()
        // A join that repeats every membership: the same command twice, next to each other.
        try fixture.seed("2026-06-01-twice", """
            -- description: makes every acme member a viewer, through a join that repeats the rows
            -- batch: \(batch)
            -- @write tenant:write:update-member-roles
            SELECT json_object('userId', m.user_id, 'tenantId', m.tenant_id, 'roles', json_array('Member', 'Viewer')) AS payload
            FROM memberships m, (SELECT 1 AS k UNION ALL SELECT 2) d
            WHERE m.tenant_id = 'acme' AND m.roles <> '["Member","Viewer"]'
            ORDER BY m.user_id, d.k;
            """)
        let error = #expect(throws: RunnerError.self) { try fixture.up() }
        guard case .migrationFailed(let failure, _) = error else {
            Issue.record("expected a migration failure, got \(String(describing: error))")
            return
        }
        #expect(failure.error.hasPrefix("not idempotent"), "\(failure.error)")
        #expect(failure.error.contains("twice in one batch"), "\(failure.error)")
        #expect(failure.row == 2)
        #expect(try fixture.count("SELECT count(*) FROM events WHERE migration_id = '2026-06-01-twice'") == 0)
        #expect(try fixture.count("SELECT count(*) FROM cairn_markers") == 0)
    }

    @Test("rows of two blocks with the same payload are two commands: the second block is not taken for a row that came back")
    func sameRowInTwoBlocksIsNotARowThatCameBack() throws {
        let fixture = try Fixture()
        let user = "(SELECT min(user_id) FROM memberships WHERE tenant_id = 'acme')"
        // Block 1 gives the member these roles; block 2 removes the member with a payload of the
        // very same text, through another handler.
        try fixture.seed("2026-06-01-two-blocks", """
            -- description: makes the first acme member a viewer, then removes the membership
            -- @write tenant:write:update-member-roles
            SELECT json_object('userId', user_id, 'tenantId', tenant_id, 'roles', json_array('Member', 'Viewer')) AS payload
            FROM memberships WHERE tenant_id = 'acme' AND user_id = \(user) AND roles <> '["Member","Viewer"]';

            -- @write tenant:write:remove-member
            SELECT json_object('userId', user_id, 'tenantId', tenant_id, 'roles', json(roles)) AS payload
            FROM memberships WHERE tenant_id = 'acme' AND user_id = \(user) AND roles = '["Member","Viewer"]';
            """)
        let outcome = try fixture.up()
        #expect(outcome.applied.contains { $0.id == "2026-06-01-two-blocks" })
        #expect(try fixture.count("SELECT count(*) FROM events WHERE migration_id = '2026-06-01-two-blocks'") == 2)
    }

    @Test("a seed that toggles a value is stopped as not idempotent inside its first batch: not one event commits", arguments: [1, 50])
    func togglingSeedStopsBeforeTheFirstCommit(batch: Int) throws {
        let fixture = try Fixture()
        let before = try fixture.dataFingerprint()
        try fixture.seed("2026-06-01-toggle", """
            -- description: toggles Viewer on every membership, so every row is always a candidate
            -- batch: \(batch)
            -- @write tenant:write:update-member-roles
            SELECT json_object('userId', m.user_id, 'tenantId', m.tenant_id, 'roles',
                     CASE WHEN EXISTS (SELECT 1 FROM json_each(m.roles) WHERE value = 'Viewer')
                          THEN (SELECT json_group_array(value) FROM json_each(m.roles) WHERE value != 'Viewer')
                          ELSE json_insert(m.roles, '$[#]', 'Viewer') END) AS payload,
                   m.stream_tenant AS stream_tenant
            FROM memberships m ORDER BY m.id;
            """)
        let error = #expect(throws: RunnerError.self) { try fixture.up() }
        guard case .migrationFailed(let failure, _) = error else {
            Issue.record("expected a migration failure")
            return
        }
        #expect(failure.error.contains("each write makes new candidates"), "\(failure.error)")
        #expect(try fixture.count("SELECT count(*) FROM events WHERE migration_id IS NOT NULL") == 0)
        #expect(try fixture.dataFingerprint() == before)
    }

    @Test("a migration with no candidate rows is applied with zero events")
    func emptyCandidatesApply() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-06-01-nothing", """
            -- description: nothing to do here
            -- @write incident:write:resolve
            SELECT json_object('incidentId', id, 'tenantId', tenant_id) AS payload FROM incidents WHERE 0;
            """)
        let outcome = try fixture.up()
        #expect(outcome.applied.first?.events == 0)
        #expect(try fixture.count("SELECT events_written FROM cairn_markers") == 0)
    }

    @Test("the marker is written in the same transaction as the last batch, also when rows fill batches exactly")
    func markerWithLastBatch() throws {
        let fixture = try Fixture()
        let open = try fixture.count("SELECT count(*) FROM incidents WHERE status = 'open'")
        try fixture.seed("2026-06-01-resolve", resolveAllIncidents(batch: open))
        let outcome = try fixture.up()
        #expect(outcome.applied.first?.events == open)
        let attempt = try fixture.store.read { db in try Row.fetchOne(db, sql: "SELECT batches, rows_done FROM cairn_attempts")! }
        #expect(attempt["batches"] as Int == 1)
        #expect(attempt["rows_done"] as Int == open)
    }

    @Test("--to stops after the named migration and --step applies only the next one")
    func targetAndStep() throws {
        let fixture = try Fixture()
        for day in 1...3 {
            try fixture.seed("2026-06-0\(day)-open-\(day)", """
                -- description: open incident \(day)
                -- @write incident:write:open
                SELECT json_object('incidentId', 'i-step-\(day)', 'tenantId', 'acme', 'title', 't', 'severity', 'low') AS payload
                WHERE NOT EXISTS (SELECT 1 FROM incidents WHERE id = 'i-step-\(day)');
                """)
        }
        try fixture.up { $0.step = true }
        #expect(try fixture.runner().status().migrations.map(\.state) == [.applied, .pending, .pending])
        try fixture.up { $0.target = "2026-06-02-open-2" }
        #expect(try fixture.runner().status().migrations.map(\.state) == [.applied, .applied, .pending])
        #expect(throws: RunnerError.self) { try fixture.up { $0.target = "2026-06-09-nope" } }
        try fixture.up()
        #expect(try fixture.runner().status().migrations.allSatisfy { $0.state == .applied })
    }

    @Test("a Swift migration runs through handlers in one transaction and gets a marker with its declared checksum")
    func swiftMigration() throws {
        struct OpenWelcome: SwiftMigration {
            let id = "2026-06-05-open-welcome"
            let description = "open a welcome incident in every tenant"
            let checksum = "v1"
            let handlers = [QualifiedName(validated: "incident:write:open")]
            func run(_ context: MigrationContext) throws {
                for row in try context.query("SELECT id FROM tenants ORDER BY id") {
                    let tenant = try row.string("id")
                    try context.write(QualifiedName(validated: "incident:write:open"), payload: [
                        "incidentId": .string("i-welcome-\(tenant)"), "tenantId": .string(tenant),
                        "title": "Welcome", "severity": "low",
                    ])
                }
            }
        }
        let fixture = try Fixture()
        var application = DemoApplication.application
        application.migrations = [OpenWelcome()]
        let runner = MigrationRunner(
            application: application, store: fixture.store, seedsDirectory: fixture.seeds, processEnvironment: [:])
        let outcome = try runner.migrate(logger: quietLogger)
        #expect(outcome.applied.first?.events == 3)
        #expect(try runner.status().migrations.first?.checksum == "v1")
        #expect(try runner.status().migrations.first?.state == .applied)
    }
}
