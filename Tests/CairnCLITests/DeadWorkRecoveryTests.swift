import CairnDemo
import CairnStore
import Foundation
import GRDB
import Testing

/// A seed that gives every membership of the medium demo (about 3,000) the Viewer role.
let giveEveryMemberViewer = """
    -- description: give every membership the Viewer role

    -- @write tenant:write:update-member-roles
    SELECT json_object('userId', m.user_id, 'tenantId', m.tenant_id,
                       'roles', json_insert(m.roles, '$[#]', 'Viewer')) AS payload,
           m.stream_tenant AS stream_tenant
    FROM memberships m
    WHERE NOT EXISTS (SELECT 1 FROM json_each(m.roles) WHERE value = 'Viewer');
    """

/// A seed that opens 40 incidents one per batch, and whose `@down` resolves them one per batch.
let openFortyIncidentsRevertibly = """
    -- description: open forty drill incidents
    -- batch: 1

    -- @write incident:write:open
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)
    SELECT json_object('incidentId', 'i-drill-' || i, 'tenantId', 'acme', 'title', 'drill ' || i, 'severity', 'low') AS payload
    FROM n WHERE NOT EXISTS (SELECT 1 FROM incidents WHERE id = 'i-drill-' || n.i);

    -- @down
    -- @write incident:write:resolve
    SELECT json_object('incidentId', id, 'tenantId', tenant_id) AS payload
    FROM incidents WHERE id LIKE 'i-drill-%' AND status = 'open' ORDER BY id;
    """

/// A seed that opens `count` drill incidents `i-<name>-N` one per batch, with an `@down` that resolves them.
func drillSeed(_ name: String, count: Int = 20) -> String {
    """
    -- description: open \(count) \(name) drill incidents
    -- batch: 1

    -- @write incident:write:open
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count))
    SELECT json_object('incidentId', 'i-\(name)-' || i, 'tenantId', 'acme', 'title', 'drill ' || i, 'severity', 'low') AS payload
    FROM n WHERE NOT EXISTS (SELECT 1 FROM incidents WHERE id = 'i-\(name)-' || n.i);

    -- @down
    -- @write incident:write:resolve
    SELECT json_object('incidentId', id, 'tenantId', tenant_id) AS payload
    FROM incidents WHERE id LIKE 'i-\(name)-%' AND status = 'open' ORDER BY id;
    """
}

/// A workspace with the medium demo (about 7,200 events: a rebuild takes two replay transactions).
func mediumDemoWorkspace() throws -> Workspace {
    let workspace = try Workspace()
    let store = try EventStore(path: workspace.database, domain: DemoApplication.domain, mode: .createIfNeeded)
    _ = try DemoGenerator().build(into: store, size: .medium) { _ in }
    try store.pool.close()
    return workspace
}

/// The bookkeeping a dead process can leave behind, counted.
struct Leftovers: Equatable, CustomStringConvertible {
    var running: Int
    var locks: Int
    var shadows: Int
    /// Private copies of dry-runs beside the database.
    var copies: Int

    init(_ workspace: Workspace) throws {
        running = try scalar(workspace, "SELECT count(*) FROM cairn_runs WHERE status = 'running'")
        locks = try scalar(workspace, "SELECT count(*) FROM cairn_lock")
        shadows = try scalar(workspace, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name GLOB '*__rebuild_*'")
        copies = previewCopies(workspace).count
    }

    static let none = Leftovers(running: 0, locks: 0, shadows: 0)

    init(running: Int, locks: Int, shadows: Int, copies: Int = 0) {
        self.running = running
        self.locks = locks
        self.shadows = shadows
        self.copies = copies
    }

    var description: String {
        "\(running) running runs, \(locks) lock rows, \(shadows) shadow tables, \(copies) preview copies"
    }
}

/// The files of dry-runs' private copies beside the workspace's database (`-wal` and `-shm` not counted).
func previewCopies(_ workspace: Workspace) -> [String] {
    let name = (workspace.database as NSString).lastPathComponent + "-cairn-preview-"
    let files = (try? FileManager.default.contentsOfDirectory(atPath: workspace.url.path)) ?? []
    return files.filter { $0.hasPrefix(name) && !["-wal", "-shm", "-journal"].contains(where: $0.hasSuffix) }
}

/// Starts `cairn` with output to a log file in the workspace; returns the process and the log's URL.
func startLogged(_ workspace: Workspace, _ arguments: [String], log name: String) throws -> (ChildProcess, URL) {
    let log = workspace.url.appendingPathComponent(name)
    _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    let handle = try FileHandle(forWritingTo: log)
    defer { try? handle.close() }
    return (try CairnProcess.start(arguments, in: workspace.url, stdout: handle, stderr: handle), log)
}

/// The status of run `id`.
func runStatus(_ workspace: Workspace, _ id: Int) throws -> String? {
    try readOnlyQueue(workspace).read { db in
        try String.fetchOne(db, sql: "SELECT status FROM cairn_runs WHERE id = ?", arguments: [id])
    }
}

/// Applies the drill seed on the small demo, starts `revert --steps 1` slowly, and
/// returns once it has reverted three rows (the revert is run 2).
func startRevertOfDrill(_ workspace: Workspace) throws -> (ChildProcess, URL) {
    try buildDemo(in: workspace)
    try workspace.write("seeds/2026-06-01-drill.sql", openFortyIncidentsRevertibly)
    let up = try workspace.cairn("up", "--db", workspace.database)
    #expect(up.status == 0, "\(up.output)")
    let started = try startLogged(
        workspace, ["revert", "--steps", "1", "--db", workspace.database, "--throttle", "100"], log: "revert.log")
    #expect(try CairnProcess.wait(timeout: 30) {
        try scalar(workspace, "SELECT coalesce(max(rows_done), 0) FROM cairn_attempts WHERE run_id = 2") >= 3
    })
    return started
}

/// Starts a dry-run of the Viewer seed on `workspace` and kills it with SIGKILL once its run is recorded.
@discardableResult
func killDryRunMidway(_ workspace: Workspace) throws -> ChildProcess {
    try workspace.write("seeds/2026-06-01-viewer.sql", giveEveryMemberViewer)
    let (process, _) = try startLogged(workspace, ["dry-run", "--db", workspace.database], log: "dry-run.log")
    #expect(try CairnProcess.wait(timeout: 30) {
        try scalar(workspace, "SELECT count(*) FROM cairn_runs WHERE kind = 'dry-run' AND status = 'running'") == 1
            && !previewCopies(workspace).isEmpty
    })
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    return process
}

@Suite("Dead work: runs, locks and shadow tables of killed processes are settled by the next writing command", .serialized)
struct DeadWorkRecoveryTests {
    @Test("a dry-run killed with SIGKILL is marked interrupted and its private copy removed by the next writing command")
    func killedDryRunIsInterrupted() throws {
        let workspace = try mediumDemoWorkspace()
        let process = try killDryRunMidway(workspace)
        #expect(try Leftovers(workspace) == Leftovers(running: 1, locks: 0, shadows: 0, copies: 1))

        // A refused command writes nothing, not even the recovery.
        let refused = try workspace.cairn("unskip", "2026-06-01-viewer", "--db", workspace.database)
        #expect(refused.status == 2, "\(refused.output)")
        #expect(try Leftovers(workspace) == Leftovers(running: 1, locks: 0, shadows: 0, copies: 1))
        func reserves() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: workspace.url.path).filter { $0.contains("-cairn-reserve-") }
        }
        #expect(try reserves().count == 1, "the killed dry-run's own disk reserve stays until it is seen dead")
        let up = try workspace.cairn("up", "--db", workspace.database)
        #expect(up.status == 0, "\(up.output)")
        #expect(try Leftovers(workspace) == .none)
        let left = try reserves()
        #expect(left.isEmpty, "\(left)")
        #expect(try runStatus(workspace, 1) == "interrupted")
        let log = try workspace.cairn("log", "1", "--db", workspace.database)
        #expect(log.stdout.contains("interrupted: its process \(process.processIdentifier)"), "\(log.output)")
    }

    @Test("unlock with nothing locked still settles a killed dry-run, as every writing command does")
    func unlockWithNothingLockedSettlesDeadWork() throws {
        let workspace = try mediumDemoWorkspace()
        try killDryRunMidway(workspace)
        let unlock = try workspace.cairn("unlock", "--db", workspace.database)
        #expect(unlock.status == 0, "\(unlock.output)")
        #expect(try runStatus(workspace, 1) == "interrupted")
    }

    @Test("unlock --force during a live rebuild leaves its shadow tables to it: it stops at its next transaction, drops them, and says to rerun the rebuild")
    func forcedUnlockLeavesLiveRebuildItsShadows() throws {
        let workspace = try mediumDemoWorkspace()
        let members = try scalar(workspace, "SELECT count(*) FROM memberships")
        let (process, log) = try startLogged(
            workspace, ["rebuild", "memberships", "--db", workspace.database, "--throttle", "1500"], log: "rebuild.log")
        #expect(try CairnProcess.wait(timeout: 30) { try Leftovers(workspace).shadows > 0 })
        let unlock = try workspace.cairn("unlock", "--force", "--db", workspace.database)
        #expect(unlock.status == 0, "\(unlock.output)")
        #expect(try Leftovers(workspace).shadows == 1, "the live rebuild's shadow table stays while it runs")
        process.waitUntilExit()
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(process.terminationStatus == 1, "\(output)")
        #expect(output.contains("run `cairn rebuild memberships` again"), "\(output)")
        #expect(try Leftovers(workspace) == .none)
        #expect(try scalar(workspace, "SELECT count(*) FROM memberships") == members)
    }

    @Test("SIGINT and SIGTERM stop a dry-run as canceled, exit 130, with the dry-run's own hint", arguments: [SIGINT, SIGTERM])
    func signaledDryRunIsCanceled(signal: Int32) throws {
        let workspace = try mediumDemoWorkspace()
        try workspace.write("seeds/2026-06-01-viewer.sql", giveEveryMemberViewer)
        let before = try scalar(workspace, "SELECT count(*) FROM events")
        let (process, log) = try startLogged(workspace, ["dry-run", "--db", workspace.database], log: "dry-run.log")
        #expect(try CairnProcess.wait(timeout: 30) {
            try scalar(workspace, "SELECT count(*) FROM cairn_runs WHERE kind = 'dry-run'") == 1
        })
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(process.terminationStatus == 130, "\(output)")
        #expect(output.contains("dry-run canceled"), "\(output)")
        #expect(output.contains("cairn dry-run"), "\(output)")
        #expect(!output.contains("cairn up"), "\(output)")
        #expect(try runStatus(workspace, 1) == "canceled")
        #expect(try Leftovers(workspace) == .none)
        #expect(try scalar(workspace, "SELECT count(*) FROM events") == before)
    }

    @Test("a rebuild killed with SIGKILL leaves its shadow tables and lock; the next writing command drops them and marks it interrupted")
    func killedRebuildIsCleanedUp() throws {
        let workspace = try mediumDemoWorkspace()
        let members = try scalar(workspace, "SELECT count(*) FROM memberships")
        let (process, _) = try startLogged(
            workspace, ["rebuild", "--db", workspace.database, "--throttle", "5000"], log: "rebuild.log")
        #expect(try CairnProcess.wait(timeout: 30) { try Leftovers(workspace).shadows > 0 })
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let left = try Leftovers(workspace)
        #expect(left.running == 1 && left.locks == 1 && left.shadows == 4, "\(left)")

        // Nothing is pending: the writing command settles the dead rebuild all the same.
        let up = try workspace.cairn("up", "--db", workspace.database)
        #expect(up.status == 0, "\(up.output)")
        #expect(up.stdout.contains("dropped the shadow tables of a rebuild that did not finish"), "\(up.output)")
        #expect(try Leftovers(workspace) == .none)
        #expect(try runStatus(workspace, 1) == "interrupted")
        #expect(try scalar(workspace, "SELECT count(*) FROM memberships") == members)

        let again = try workspace.cairn("rebuild", "--db", workspace.database)
        #expect(again.status == 0, "\(again.output)")
        #expect(try Leftovers(workspace) == .none)
        #expect(try scalar(workspace, "SELECT count(*) FROM memberships") == members)
    }

    @Test("a declared follow-up rebuild killed with SIGKILL is owed: status says so and the next up runs it")
    func killedFollowUpRebuildIsOwed() throws {
        let workspace = try mediumDemoWorkspace()
        try workspace.write("seeds/2026-06-01-admin-viewer.sql", """
            -- description: give the platform admin the Viewer role in acme
            -- rebuilds: memberships

            -- @write tenant:write:update-member-roles
            SELECT json_object('userId', m.user_id, 'tenantId', m.tenant_id,
                               'roles', json_insert(m.roles, '$[#]', 'Viewer')) AS payload,
                   m.stream_tenant AS stream_tenant
            FROM memberships m
            WHERE m.id = 'm-admin-acme' AND NOT EXISTS (SELECT 1 FROM json_each(m.roles) WHERE value = 'Viewer');
            """)
        let (process, _) = try startLogged(
            workspace, ["up", "--db", workspace.database, "--throttle", "5000"], log: "up.log")
        #expect(try CairnProcess.wait(timeout: 30) { try Leftovers(workspace).shadows > 0 })
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_markers") == 1)
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_runs WHERE kind = 'rebuild' AND status = 'running'") == 1)

        let status = try workspace.cairn("status", "--db", workspace.database)
        #expect(status.stdout.contains("owed rebuild: memberships, declared by 2026-06-01-admin-viewer"), "\(status.output)")
        let json = try workspace.cairn("status", "--json", "--db", workspace.database)
        #expect(json.stdout.contains(#""owedRebuilds":[{"#), "\(json.output)")
        #expect(json.stdout.contains(#""projection":"memberships""#), "\(json.output)")

        let up = try workspace.cairn("up", "--db", workspace.database)
        #expect(up.status == 0, "\(up.output)")
        #expect(up.stdout.contains("follow-up: rebuilding memberships"), "\(up.output)")
        #expect(up.stdout.contains("✓ rebuilt memberships"), "\(up.output)")
        #expect(try Leftovers(workspace) == .none)
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_owed_projections") == 0)
        #expect(try scalar(workspace, """
            SELECT count(*) FROM cairn_runs WHERE kind = 'rebuild' AND status = 'succeeded'
            """) == 1)
        #expect(try scalar(workspace, """
            SELECT count(*) FROM memberships, json_each(memberships.roles)
            WHERE memberships.id = 'm-admin-acme' AND json_each.value = 'Viewer'
            """) == 1)

        let status2 = try workspace.cairn("status", "--db", workspace.database)
        #expect(!status2.stdout.contains("owed rebuild"), "\(status2.output)")
        let nothing = try workspace.cairn("up", "--db", workspace.database)
        #expect(nothing.stdout.contains("nothing to do"), "\(nothing.output)")
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_runs WHERE kind = 'rebuild'") == 2)
    }

    @Test("a revert stopped half-way, by SIGTERM or SIGKILL, shows as partial (down) in status and status --json with the command that finishes it; up says so and leaves it", arguments: [SIGTERM, SIGKILL])
    func stoppedRevertIsPartial(signal: Int32) throws {
        let workspace = try Workspace()
        let (process, _) = try startRevertOfDrill(workspace)
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        let reverted = try scalar(workspace, "SELECT count(*) FROM incidents WHERE id LIKE 'i-drill-%' AND status = 'resolved'")
        #expect(reverted >= 3 && reverted < 40)

        let status = try workspace.cairn("status", "--db", workspace.database)
        #expect(status.stdout.contains("partial"), "\(status.output)")
        #expect(status.stdout.contains("partly reverted by run 2"), "\(status.output)")
        #expect(status.stdout.contains("`cairn revert --steps 1` finishes it"), "\(status.output)")
        let json = try workspace.cairn("status", "--json", "--db", workspace.database)
        let migrations = try #require(try JSONValue(parsing: json.stdout).objectValue?["migrations"]?.arrayValue)
        let drill = try #require(migrations.compactMap(\.objectValue).first { $0["id"]?.stringValue == "2026-06-01-drill" })
        #expect(drill["state"]?.stringValue == "partial", "\(json.stdout)")
        #expect(drill["direction"]?.stringValue == "down")
        #expect(drill["partial"]?.objectValue?["rows"]?.intValue == Int64(reverted))
        #expect(drill["partial"]?.objectValue?["finish"]?.stringValue == "cairn revert --steps 1")

        let up = try workspace.cairn("up", "--db", workspace.database)
        #expect(up.status == 0, "\(up.output)")
        #expect(up.output.contains("nothing to do"), "\(up.output)")
        #expect(up.output.contains("2026-06-01-drill is partly reverted by run 2"), "\(up.output)")
        // A pending migration does not run before the revert is finished: it would have to be reverted with it.
        try workspace.write("seeds/2026-07-01-later.sql", drillSeed("later", count: 2))
        let blocked = try workspace.cairn("up", "--db", workspace.database)
        #expect(blocked.status == 3, "\(blocked.output)")
        #expect(blocked.output.contains("finish the revert first"), "\(blocked.output)")
        #expect(try scalar(workspace, "SELECT count(*) FROM incidents WHERE id LIKE 'i-later-%'") == 0)
        let finish = try workspace.cairn("revert", "--steps", "1", "--db", workspace.database)
        #expect(finish.status == 0, "\(finish.output)")
        let after = try workspace.cairn("status", "--json", "--db", workspace.database)
        let state = try JSONValue(parsing: after.stdout).objectValue?["migrations"]?.arrayValue?.compactMap(\.objectValue)
            .first { $0["id"]?.stringValue == "2026-06-01-drill" }?["state"]?.stringValue
        #expect(state == "pending", "\(after.stdout)")
        let upAfter = try workspace.cairn("up", "--db", workspace.database)
        #expect(upAfter.status == 0, "\(upAfter.output)")
    }

    @Test("SIGTERM during a long --throttle pause stops the run at once, not when the pause ends", arguments: ["up", "rebuild"])
    func signalEndsAThrottlePause(command: String) throws {
        // The medium demo: more events than one rebuild chunk, so a rebuild pauses too.
        let workspace = try mediumDemoWorkspace()
        try workspace.write("seeds/2026-06-01-drill.sql", openFortyIncidentsRevertibly)
        let arguments = command == "up" ? ["up"] : ["rebuild", "incidents"]
        let (process, log) = try startLogged(
            workspace, arguments + ["--db", workspace.database, "--throttle", "600000"], log: "throttled.log")
        #expect(try CairnProcess.wait(timeout: 30) {
            try scalar(workspace, "SELECT count(*) FROM cairn_runs WHERE status = 'running'") == 1
        })
        Thread.sleep(forTimeInterval: 0.5)
        let signaled = Date()
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(process.terminationStatus == 130, "\(output)")
        #expect(Date().timeIntervalSince(signaled) < 5, "it waited out the pause:\n\(output)")
    }

    @Test("an up stopped half-way shows as partial (up) with `cairn up` to finish it, and the marker then counts the events of both runs")
    func stoppedUpIsPartial() throws {
        let workspace = try Workspace()
        try buildDemo(in: workspace)
        try workspace.write("seeds/2026-06-01-drill.sql", openFortyIncidentsRevertibly)
        let (process, _) = try startLogged(workspace, ["up", "--db", workspace.database, "--throttle", "100"], log: "up.log")
        #expect(try CairnProcess.wait(timeout: 30) {
            try scalar(workspace, "SELECT coalesce(max(rows_done), 0) FROM cairn_attempts WHERE run_id = 1") >= 3
        })
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        let done = try scalar(workspace, "SELECT count(*) FROM incidents WHERE id LIKE 'i-drill-%'")
        let json = try workspace.cairn("status", "--json", "--db", workspace.database)
        let drill = try JSONValue(parsing: json.stdout).objectValue?["migrations"]?.arrayValue?.compactMap(\.objectValue)
            .first { $0["id"]?.stringValue == "2026-06-01-drill" }
        #expect(drill?["state"]?.stringValue == "partial", "\(json.stdout)")
        #expect(drill?["direction"]?.stringValue == "up")
        #expect(drill?["partial"]?.objectValue?["finish"]?.stringValue == "cairn up")
        let status = try workspace.cairn("status", "--db", workspace.database)
        #expect(status.stdout.contains("partly applied by run 1 (canceled): \(done) rows"), "\(status.output)")
        let up = try workspace.cairn("up", "--db", workspace.database)
        #expect(up.status == 0, "\(up.output)")
        #expect(try scalar(workspace, "SELECT events_written FROM cairn_markers") == 40)
        #expect(up.output.contains("\(40 - done) events in this run, 40 over all its runs"), "\(up.output)")
    }

    @Test("a revert killed with SIGKILL leaves no running run and no lock once the next writing command has run, and a second revert finishes it")
    func killedRevertIsInterrupted() throws {
        let workspace = try Workspace()
        let (process, _) = try startRevertOfDrill(workspace)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(try Leftovers(workspace) == Leftovers(running: 1, locks: 1, shadows: 0))

        // Nothing is pending (the marker stays until the revert finishes): up settles the dead revert.
        let upAgain = try workspace.cairn("up", "--db", workspace.database)
        #expect(upAgain.status == 0, "\(upAgain.output)")
        #expect(upAgain.stdout.contains("nothing to do"), "\(upAgain.output)")
        #expect(try Leftovers(workspace) == .none)
        #expect(try runStatus(workspace, 2) == "interrupted")
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_markers") == 1)

        let revert = try workspace.cairn("revert", "--steps", "1", "--db", workspace.database)
        #expect(revert.status == 0, "\(revert.output)")
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_markers") == 0)
        #expect(try scalar(workspace, "SELECT count(*) FROM incidents WHERE id LIKE 'i-drill-%' AND status = 'open'") == 0)
        #expect(try Leftovers(workspace) == .none)
    }

    @Test("SIGTERM stops a revert with exit 130 and says how to finish the revert, not how to migrate")
    func terminatedRevertSaysHowToFinish() throws {
        let workspace = try Workspace()
        let (process, log) = try startRevertOfDrill(workspace)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(process.terminationStatus == 130, "\(output)")
        #expect(output.contains("revert canceled"), "\(output)")
        #expect(output.contains("run `cairn revert --steps 1` again to finish the revert"), "\(output)")
        #expect(!output.contains("cairn up"), "\(output)")
        #expect(!output.contains("no marker was written"), "\(output)")
        #expect(try runStatus(workspace, 2) == "canceled")
        #expect(try Leftovers(workspace) == .none)
        let attempt = try readOnlyQueue(workspace).read { db in
            try String.fetchOne(db, sql: "SELECT status FROM cairn_attempts WHERE run_id = 2")
        }
        #expect(attempt == "canceled")
    }

    @Test("a revert of several migrations that stopped half-way says to finish it with --to, and refuses --steps until it is finished")
    func unfinishedRevertIsFinishedExactly() throws {
        let workspace = try Workspace()
        try buildDemo(in: workspace)
        for name in ["a", "b", "c"] { try workspace.write("seeds/2026-06-0\(["a": 1, "b": 2, "c": 3][name]!)-drill-\(name).sql", drillSeed(name)) }
        #expect(try workspace.cairn("up", "--db", workspace.database).status == 0)
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_markers") == 3)
        let (process, log) = try startLogged(
            workspace, ["revert", "--steps", "2", "--db", workspace.database, "--throttle", "100"], log: "revert.log")
        // c is reverted, b is half-way.
        #expect(try CairnProcess.wait(timeout: 60) {
            try scalar(workspace, """
                SELECT coalesce(max(rows_done), 0) FROM cairn_attempts
                WHERE run_id = 2 AND migration_id = '2026-06-02-drill-b'
                """) >= 3
        })
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(process.terminationStatus == 130, "\(output)")
        #expect(output.contains("run `cairn revert --to 2026-06-01-drill-a` again to finish the revert"), "\(output)")

        let before = try scalar(workspace, "SELECT count(*) FROM events")
        let steps = try workspace.cairn("revert", "--steps", "2", "--db", workspace.database)
        #expect(steps.status == 2, "\(steps.output)")
        #expect(steps.stderr.contains("cairn revert --to 2026-06-01-drill-a"), "\(steps.output)")
        #expect(try scalar(workspace, "SELECT count(*) FROM events") == before)

        let finish = try workspace.cairn("revert", "--to", "2026-06-01-drill-a", "--db", workspace.database)
        #expect(finish.status == 0, "\(finish.output)")
        let markers = try readOnlyQueue(workspace).read { db in try String.fetchAll(db, sql: "SELECT migration_id FROM cairn_markers") }
        #expect(markers == ["2026-06-01-drill-a"])
        #expect(try scalar(workspace, "SELECT count(*) FROM incidents WHERE id LIKE 'i-a-%' AND status = 'open'") == 20)
        #expect(try scalar(workspace, "SELECT count(*) FROM incidents WHERE id LIKE 'i-b-%' AND status = 'open'") == 0)
        // Finished, --steps counts from a clean state again.
        #expect(try workspace.cairn("revert", "--steps", "1", "--db", workspace.database).status == 0)
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_markers") == 0)
    }

    @Test("SIGTERM stops a rebuild with exit 130: the live tables stay, the shadows go, and it says how to rerun the rebuild")
    func terminatedRebuildSaysHowToRerun() throws {
        let workspace = try mediumDemoWorkspace()
        let members = try scalar(workspace, "SELECT count(*) FROM memberships")
        let (process, log) = try startLogged(
            workspace, ["rebuild", "memberships", "--db", workspace.database, "--throttle", "1500"], log: "rebuild.log")
        #expect(try CairnProcess.wait(timeout: 30) { try Leftovers(workspace).shadows > 0 })
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(process.terminationStatus == 130, "\(output)")
        #expect(output.contains("rebuild canceled"), "\(output)")
        #expect(output.contains("run `cairn rebuild memberships` again"), "\(output)")
        #expect(!output.contains("cairn up"), "\(output)")
        #expect(try runStatus(workspace, 1) == "canceled")
        #expect(try Leftovers(workspace) == .none)
        #expect(try scalar(workspace, "SELECT count(*) FROM memberships") == members)
    }
}

@Suite("A runner in another PID namespace on this host", .serialized)
struct PIDNamespaceTests {
    @Test("is never taken for dead by its pid: its run and lock stay, a second up waits for it, and only a stale heartbeat lets the lock go")
    func runnerInAnotherNamespaceIsNotDead() throws {
        let workspace = try slowSeedWorkspace()
        // A pid that no process has here, which the runner will have in its own namespace.
        let pid = try #require((5_000..<30_000).first { kill(pid_t($0), 0) != 0 && errno == ESRCH })
        // The shell is the namespace's pid 1; the runner it starts (not execs) gets `pid`.
        let script = "echo \(pid - 1) > /proc/sys/kernel/ns_last_pid && \"$0\" \"$@\"; exit $?"
        let process = try ChildProcess(
            executable: "/usr/bin/unshare",
            arguments: ["--fork", "--pid", "--mount-proc", "--kill-child", "/bin/sh", "-c", script, CairnProcess.binary.path,
                        "up", "--db", workspace.database, "--throttle", "300"],
            directory: workspace.url.path, environment: CairnProcess.environment([:]),
            stdout: FileHandle.nullDevice, stderr: FileHandle.nullDevice)
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        #expect(try CairnProcess.wait(timeout: 30) {
            try scalar(workspace, "SELECT coalesce(max(rows_done), 0) FROM cairn_attempts") >= 2
        })
        #expect(try scalar(workspace, "SELECT pid FROM cairn_runs WHERE id = 1") == pid, "the runner's pid in its namespace")

        let second = try workspace.cairn("up", "--db", workspace.database, "--lock-timeout", "1")
        #expect(second.status == 4, "\(second.output)")
        let dryRun = try workspace.cairn("dry-run", "--db", workspace.database)
        #expect(dryRun.status == 0, "\(dryRun.output)")
        #expect(try runStatus(workspace, 1) == "running")
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_lock WHERE run_id = 1") == 1)

        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        // Its pid says nothing here; the heartbeat it no longer sends does.
        let takeover = try workspace.cairn("up", "--db", workspace.database, "--stale-after", "1", "--lock-timeout", "30")
        #expect(takeover.status == 0, "\(takeover.output)")
        #expect(takeover.stdout.contains("took over a stale migration lock"), "\(takeover.output)")
        #expect(try runStatus(workspace, 1) == "interrupted")
        #expect(try Leftovers(workspace) == .none)
    }
}
