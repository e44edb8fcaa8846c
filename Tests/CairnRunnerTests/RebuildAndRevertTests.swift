import CairnDemo
@testable import CairnRunner
import CairnStore
import Foundation
import GRDB
import Testing

@Suite("Projection rebuilds, revert and cancel")
struct RebuildAndRevertTests {
    @Test("a rebuild after a read-table row was deleted restores it, and the projections are current again")
    func rebuildRestoresRow() throws {
        let fixture = try Fixture()
        let before = try readModel(fixture.store)
        try fixture.store.pool.write { db in try db.execute(sql: "DELETE FROM memberships WHERE id = 'm-admin-globex'") }
        #expect(try readModel(fixture.store) != before)
        let summary = try fixture.runner().rebuild([], logger: quietLogger)
        #expect(summary.projections == ["tenants", "users", "memberships", "incidents"])
        #expect(try readModel(fixture.store) == before)
        #expect(try fixture.store.projectionStates().allSatisfy { !$0.isStale })
        let run = try #require(try fixture.runner().history.latestRun())
        #expect(run.kind == .rebuild && run.status == .succeeded)
        #expect(try fixture.count("SELECT count(*) FROM sqlite_master WHERE name LIKE '%__rebuild_%' AND type = 'table'") == 0)
    }

    @Test("readers during a rebuild see the old tables or the new ones, never a partial one")
    func readersSeeOldOrNew() throws {
        let fixture = try Fixture(demo: false)
        _ = try DemoGenerator().build(into: fixture.store, size: .medium) { _ in }
        let full = try fixture.count("SELECT count(*) FROM memberships")
        try fixture.store.pool.write { db in try db.execute(sql: "DELETE FROM memberships WHERE rowid % 2 = 0") }
        let half = try fixture.count("SELECT count(*) FROM memberships")
        let stop = CancellationFlag()
        let seen = LogCollector()
        let store = fixture.store
        let reader = Thread {
            while !stop.isCancelled {
                do {
                    let count = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM memberships") ?? -1 }
                    seen.append("\(count)")
                } catch {
                    seen.append("error: \(error)")
                }
            }
        }
        reader.start()
        var rebuilder = ProjectionRebuilder(store: fixture.store)
        rebuilder.chunk = 500
        for _ in 0..<3 {
            _ = try rebuilder.rebuild(["memberships"])
        }
        stop.cancel(reason: "done")
        Thread.sleep(forTimeInterval: 0.05)
        let observed = Set(seen.lines)
        #expect(observed.isSubset(of: ["\(full)", "\(half)"]), "\(observed)")
        #expect(seen.lines.count > 10)
        #expect(try fixture.count("SELECT count(*) FROM memberships") == full)
    }

    @Test("a projection whose code version changed is stale until rebuilt")
    func staleProjection() throws {
        struct MembershipsV2: Projection {
            let inner = MembershipsProjection()
            var name: String { inner.name }
            let version = 2
            var tables: [ReadTable] { inner.tables }
            var eventTypes: Set<String> { inner.eventTypes }
            func apply(_ event: StoredEvent, in context: ProjectionContext) throws { try inner.apply(event, in: context) }
        }
        let fixture = try Fixture()
        let domain = Domain(
            handlers: DemoApplication.handlers,
            projections: [TenantsProjection(), UsersProjection(), MembershipsV2(), IncidentsProjection()],
            upcasters: DemoUpcasters.all)
        let store = try EventStore(path: fixture.store.path, domain: domain)
        let stale = try store.projectionStates().filter(\.isStale)
        #expect(stale.map(\.name) == ["memberships"])
        #expect(stale.first?.staleReason?.contains("version 2") == true)
        _ = try ProjectionRebuilder(store: store).rebuild(["memberships"])
        #expect(try store.projectionStates().allSatisfy { !$0.isStale })
    }

    @Test("a migration that declares rebuilds is followed by a rebuild run that starts after it completed, never after a failed one")
    func chainedRebuild() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-06-01-with-rebuild", """
            -- description: resolve everything, then rebuild incidents
            -- rebuilds: incidents
            -- @write incident:write:resolve
            SELECT json_object('incidentId', id, 'tenantId', tenant_id) AS payload FROM incidents WHERE status = 'open';
            """)
        let outcome = try fixture.up()
        let runs = try fixture.runner().history.runs()
        #expect(runs.map(\.kind) == [.rebuild, .migrate])
        let migrate = runs[1], rebuild = runs[0]
        #expect(migrate.id == outcome.runId)
        #expect(migrate.status == .succeeded && rebuild.status == .succeeded)
        #expect(rebuild.startedAt >= migrate.finishedAt!)
        #expect(rebuild.options.contains("incidents"))

        try fixture.seed("2026-06-02-fails", """
            -- description: fails, and would rebuild users
            -- rebuilds: users
            -- @write incident:write:resolve
            SELECT json_object('incidentId', 'nope', 'tenantId', 'acme') AS payload;
            """)
        #expect(throws: RunnerError.self) { try fixture.up() }
        #expect(try fixture.runner().history.runs().filter { $0.kind == .rebuild }.count == 1)
    }

    @Test("revert undoes fix-admin-roles through compensating events and removes its marker")
    func revertFixAdminRoles() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-05-20-fix-admin-roles", fixAdminRoles + """

            -- @down
            -- @write tenant:write:update-member-roles
            SELECT json_object('userId', m.user_id, 'tenantId', m.tenant_id,
                               'roles', (SELECT json_group_array(value) FROM json_each(m.roles) WHERE value <> 'TenantAdmin')) AS payload,
                   m.stream_tenant AS stream_tenant
            FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE u.email = 'admin@publicstatus.eu'
              AND EXISTS (SELECT 1 FROM json_each(m.roles) WHERE value = 'TenantAdmin');
            """)
        let before = try readModel(fixture.store)
        try fixture.up()
        #expect(try readModel(fixture.store) != before)
        let events = try fixture.count("SELECT count(*) FROM events")
        let preview = try fixture.runner().dryRun(revertSteps: 1, logger: quietLogger)
        #expect(preview.migrations.map(\.id) == ["2026-05-20-fix-admin-roles"])
        #expect(preview.migrations.first?.reverting == true)
        #expect(preview.migrations.first?.events.count == 2)

        let outcome = try fixture.runner().revert(steps: 1, logger: quietLogger)
        #expect(outcome.applied.first?.events == 2)
        #expect(try readModel(fixture.store) == before)
        #expect(try fixture.count("SELECT count(*) FROM events") == events + 2)
        #expect(try fixture.count("SELECT count(*) FROM cairn_markers") == 0)
        let run = try #require(try fixture.runner().history.run(outcome.runId!))
        #expect(run.kind == .revert && run.status == .succeeded)
        #expect(try fixture.runner().status().migrations.first?.state == .pending)
    }

    @Test("revert refuses with exit 2, before writing anything, when a migration has no @down, naming it")
    func revertRefusesWithoutDown() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-05-20-fix-admin-roles", fixAdminRoles)
        try fixture.seed("2026-05-25-resolve-open", resolveAllIncidents(batch: 10))
        try fixture.up()
        let before = try fixture.dataFingerprint()
        let runs = try fixture.count("SELECT count(*) FROM cairn_runs")
        let error = #expect(throws: RunnerError.self) { try fixture.runner().revert(steps: 2, logger: quietLogger) }
        #expect(error?.exitCode == 2)
        #expect(error?.summary.contains("2026-05-25-resolve-open (it has no -- @down section)") == true)
        #expect(error?.summary.contains("2026-05-20-fix-admin-roles (it has no -- @down section)") == true)
        #expect(try fixture.dataFingerprint() == before)
        #expect(try fixture.count("SELECT count(*) FROM cairn_runs") == runs)
        let unknown = #expect(throws: RunnerError.self) { try fixture.runner().revert(to: "2026-05-20-fix-admin-role", logger: quietLogger) }
        #expect(unknown?.summary.contains("did you mean '2026-05-20-fix-admin-roles'") == true)
    }

    @Test("a canceled run stops between batches: committed batches stay, no marker, the run says canceled, and the next up resumes")
    func cancelBetweenBatches() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-06-01-resolve", resolveAllIncidents(batch: 2))
        let open = try fixture.count("SELECT count(*) FROM incidents WHERE status = 'open'")
        let flag = CancellationFlag()
        var batches = 0
        var options = MigrateOptions()
        options.cancellation = flag
        let error = #expect(throws: RunnerError.self) {
            try fixture.runner().migrate(options, logger: quietLogger) { _ in
                batches += 1
                if batches == 3 { flag.cancel(reason: "test") }
            }
        }
        #expect(error?.exitCode == 130)
        #expect(try fixture.count("SELECT count(*) FROM events WHERE migration_id IS NOT NULL") == 6)
        #expect(try fixture.count("SELECT count(*) FROM cairn_markers") == 0)
        let run = try #require(try fixture.runner().history.latestRun())
        #expect(run.status == .canceled)
        #expect(try fixture.count("SELECT count(*) FROM cairn_attempts WHERE status = 'canceled'") == 1)
        let status = try #require(try fixture.runner().status().migrations.first)
        #expect(status.state == .partial)
        #expect(status.partial?.direction == .up)
        #expect(status.partial?.rows == 6 && status.partial?.finish == "cairn up")
        let next = try fixture.up()
        #expect(next.applied.first?.events == open - 6)
        #expect(next.applied.first?.totalEvents == open, "the marker counts the canceled run's events too")
        #expect(try fixture.count("SELECT events_written FROM cairn_markers") == open)
        #expect(try fixture.count("SELECT count(*) FROM incidents WHERE status = 'open'") == 0)
    }
}
