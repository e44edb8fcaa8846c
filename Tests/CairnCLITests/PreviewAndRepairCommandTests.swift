import CairnDemo
import CairnStore
import Foundation
import GRDB
import Testing

@Suite("dry-run, rebuild, revert and cancel on the command line", .serialized)
struct PreviewAndRepairCommandTests {
    @Test("dry-run of the demo's fix-admin-roles prints a diff headed DRY RUN, exits 0, and leaves the store unchanged")
    func dryRunFixAdminRoles() throws {
        let workspace = try Workspace()
        try workspace.copyRepositorySeeds()
        try buildDemo(in: workspace)
        let events = try scalar(workspace, "SELECT count(*) FROM events")
        let result = try workspace.cairn("dry-run", "2026-05-20-fix-admin-roles", "--db", workspace.database)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout.hasPrefix("━━ DRY RUN ━━ nothing is written"))
        #expect(result.stdout.contains("+ tenant-membership.updated  tenant-membership m-admin-globex v2 · tenant acme"))
        #expect(result.stdout.contains(#"roles: ["Admin"] → ["Admin","TenantAdmin"]"#))
        #expect(result.stdout.contains("idempotent: yes"))
        #expect(result.stdout.contains("━━ DRY RUN ━━ thrown away; the store is unchanged."))
        #expect(!result.stdout.contains("\u{1B}["), "no colour when not a terminal")
        #expect(try scalar(workspace, "SELECT count(*) FROM events") == events)
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_runs WHERE kind = 'dry-run'") == 1)
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_markers") == 0)
    }

    @Test("dry-run --json prints the documented keys and exits 1 when a row would be rejected")
    func dryRunJSON() throws {
        let workspace = try Workspace()
        try workspace.copyRepositorySeeds()
        try buildDemo(in: workspace)
        let result = try workspace.cairn("dry-run", "--json", "--db", workspace.database)
        #expect(result.status == 1, "\(result.output)")
        let object = try #require(try JSONValue(parsing: result.stdout).objectValue)
        #expect(Set(object.keys) == ["migrations"])
        let migrations = (object["migrations"]?.arrayValue ?? []).compactMap(\.objectValue)
        #expect(migrations.map { $0["id"]?.stringValue ?? "" } == [
            "2026-05-01-create-status-tenant", "2026-05-12-resolve-stale-low-incidents", "2026-05-20-fix-admin-roles",
            "2026-05-21-grant-responder-role", "2026-06-02-open-status-page-review",
        ])
        for migration in migrations {
            #expect(Set(migration.keys) == [
                "id", "events", "changes", "rejections", "eventCount", "changeCount", "rejectionCount", "idempotent",
                "eventTypes", "tables",
            ])
            let byType = (migration["eventTypes"]?.objectValue ?? [:]).values.compactMap(\.intValue).reduce(0, +)
            #expect(byType == migration["eventCount"]?.intValue)
            let byTable = (migration["tables"]?.objectValue ?? [:]).values.compactMap(\.objectValue)
                .flatMap { $0.values.compactMap(\.intValue) }.reduce(0, +)
            #expect(byTable == migration["changeCount"]?.intValue)
            #expect(migration["eventCount"]?.intValue == Int64(migration["events"]?.arrayValue?.count ?? -1))
            for event in (migration["events"]?.arrayValue ?? []).compactMap(\.objectValue) {
                #expect(Set(event.keys) == ["stream", "streamType", "tenant", "version", "type", "payload"])
                #expect(event["payload"]?.objectValue != nil)
            }
            for change in (migration["changes"]?.arrayValue ?? []).compactMap(\.objectValue) {
                #expect(Set(change.keys) == ["table", "key", "kind", "fields"])
                #expect(["insert", "update", "delete"].contains(change["kind"]?.stringValue ?? ""))
            }
        }
        let responder = migrations[3]
        let rejections = (responder["rejections"]?.arrayValue ?? []).compactMap(\.objectValue)
        #expect(rejections.count == 1)
        #expect(rejections.first?["error"]?.stringValue?.contains("lives in tenant acme") == true)
        #expect(Set(rejections.first?.keys ?? [:].keys) == ["row", "payload", "error"])
        let fix = migrations[2]
        let change = (fix["changes"]?.arrayValue ?? []).compactMap(\.objectValue).first { $0["key"] == "m-admin-acme" }
        #expect(change?["fields"] == .object(["roles": .object(["old": #"["Admin"]"#, "new": #"["Admin","TenantAdmin"]"#])]))
    }

    @Test("rebuild, and revert with its refusal, from the command line")
    func rebuildAndRevert() throws {
        let workspace = try Workspace()
        try workspace.copyRepositorySeeds()
        try buildDemo(in: workspace)
        #expect(try workspace.cairn("up", "--db", workspace.database, "--to", "2026-05-20-fix-admin-roles").status == 0)
        let refused = try workspace.cairn("revert", "--to", "2026-05-01-create-status-tenant", "--db", workspace.database)
        #expect(refused.status == 2, "\(refused.output)")
        #expect(refused.stderr.contains("2026-05-12-resolve-stale-low-incidents (it has no -- @down section)"))
        let reverted = try workspace.cairn("revert", "--steps", "1", "--db", workspace.database)
        #expect(reverted.status == 0, "\(reverted.output)")
        #expect(reverted.stdout.contains("↶ reverted 2026-05-20-fix-admin-roles"))
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_markers") == 2)
        #expect(try scalar(workspace, "SELECT count(*) FROM memberships WHERE roles LIKE '%TenantAdmin%'") == 0)

        try damage(workspace, "DELETE FROM tenants WHERE id = 'acme'")
        let rebuilt = try workspace.cairn("rebuild", "tenants", "--db", workspace.database)
        #expect(rebuilt.status == 0, "\(rebuilt.output)")
        #expect(rebuilt.stdout.contains("✓ rebuilt tenants"))
        #expect(try scalar(workspace, "SELECT count(*) FROM tenants WHERE id = 'acme'") == 1)
        let unknown = try workspace.cairn("rebuild", "tenant", "--db", workspace.database)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no projection is registered as 'tenant'"))
    }

    @Test("SIGINT stops up between batches with exit 130: a canceled run, no marker, and the next up resumes")
    func sigintCancels() throws {
        let workspace = try Workspace()
        try buildDemo(in: workspace)
        try workspace.write("seeds/2026-06-01-resolve-all.sql", resolveEveryOpenIncident)
        let open = try scalar(workspace, "SELECT count(*) FROM incidents WHERE status = 'open'")
        let process = try CairnProcess.start(
            ["up", "--db", workspace.database, "--throttle", "50"], in: workspace.url,
            stdout: FileHandle.nullDevice, stderr: FileHandle.nullDevice)
        #expect(try CairnProcess.wait(timeout: 30) {
            try scalar(workspace, "SELECT coalesce(max(rows_done), 0) FROM cairn_attempts") >= 3
        })
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        let done = try scalar(workspace, "SELECT count(*) FROM events WHERE migration_id IS NOT NULL")
        #expect(done >= 3 && done < open)
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_markers") == 0)
        let status = try readOnlyQueue(workspace).read { db in try String.fetchOne(db, sql: "SELECT status FROM cairn_runs WHERE id = 1") }
        #expect(status == "canceled")
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_lock") == 0)
        let resumed = try workspace.cairn("up", "--db", workspace.database)
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(try scalar(workspace, "SELECT count(*) FROM events WHERE migration_id IS NOT NULL") == open)
        #expect(try scalar(workspace, "SELECT events_written FROM cairn_markers") == open)
    }
}

/// Writes to the workspace's database directly, as damage a rebuild must repair.
func damage(_ workspace: Workspace, _ sql: String) throws {
    let queue = try DatabaseQueue(path: workspace.database)
    try queue.write { db in try db.execute(sql: sql) }
    try queue.close()
}
