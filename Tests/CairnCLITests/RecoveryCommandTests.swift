import CairnStore
import Foundation
import GRDB
import Testing

/// A seed that writes nothing: applied at once, then edited or deleted by the recovery tests.
func quietCLISeed(_ description: String) -> String {
    """
    -- description: \(description)
    -- @write incident:write:open
    SELECT json_object('incidentId', 'i-none', 'tenantId', 'acme', 'title', 't', 'severity', 'low') AS payload WHERE 0;
    """
}

/// The object of `status --json` for migration `id`.
func statusEntry(_ workspace: Workspace, _ id: String, _ selection: [String] = []) throws -> [String: JSONValue] {
    let result = try workspace.cairn(["status", "--json"] + (selection.isEmpty ? ["--db", workspace.database] : selection))
    let object = try JSONValue(parsing: result.output.split(separator: "\n").first { $0.hasPrefix("{") }.map(String.init) ?? "")
    let entries = object.objectValue?["migrations"]?.arrayValue ?? []
    return entries.compactMap(\.objectValue).first { $0["id"] == .string(id) } ?? [:]
}

extension Workspace {
    /// Runs `cairn` here with an argument list.
    @discardableResult
    func cairn(_ arguments: [String], environment: [String: String] = [:]) throws -> CairnProcess.Result {
        try CairnProcess.run(arguments, in: url, environment: environment)
    }
}

@Suite("Recovery verbs from the command line")
struct RecoveryCommandTests {
    /// The small demo with three applied quiet migrations and one pending.
    private func appliedWorkspace() throws -> Workspace {
        let workspace = try Workspace()
        try buildDemo(in: workspace)
        for (id, text) in [("2026-05-20-edited", "to be edited"), ("2026-05-21-deleted", "to be deleted"), ("2026-05-22-kept", "kept")] {
            try workspace.write("seeds/\(id).sql", quietCLISeed(text))
        }
        let up = try workspace.cairn("up", "--db", workspace.database)
        #expect(up.status == 0, "\(up.output)")
        try workspace.write("seeds/2026-05-23-pending.sql", quietCLISeed("pending"))
        return workspace
    }

    @Test("repair approves an edited file and retires a deleted one: status and status --json say who, when and why, up is unblocked")
    func repairAndRetire() throws {
        let workspace = try appliedWorkspace()
        let old = try statusEntry(workspace, "2026-05-20-edited")["checksum"]
        try workspace.write("seeds/2026-05-20-edited.sql", quietCLISeed("edited: a typo fixed"))
        try FileManager.default.removeItem(atPath: workspace.path("seeds/2026-05-21-deleted.sql"))
        let blocked = try workspace.cairn("up", "--db", workspace.database)
        #expect(blocked.status == 3)
        #expect(blocked.output.contains("cairn repair 2026-05-20-edited --reason"), "\(blocked.output)")

        let repaired = try workspace.cairn("repair", "2026-05-20-edited", "--db", workspace.database, "--reason", "fixed a typo")
        #expect(repaired.status == 0, "\(repaired.output)")
        #expect(repaired.output.contains("✓ repaired 2026-05-20-edited"))
        let retired = try workspace.cairn("repair", "2026-05-21-deleted", "--db", workspace.database, "--reason", "folded into 05-22")
        #expect(retired.status == 0, "\(retired.output)")
        #expect(retired.output.contains("✓ retired 2026-05-21-deleted"))

        let status = try workspace.cairn("status", "--db", workspace.database)
        #expect(status.output.contains("✓ 2026-05-20-edited"), "\(status.output)")
        #expect(status.output.contains("repaired 20") && status.output.contains(": fixed a typo (checksum was "))
        #expect(status.output.contains("⊘ 2026-05-21-deleted") && status.output.contains("retired  "))
        #expect(status.output.contains("retired 20") && status.output.contains(": folded into 05-22"))
        #expect(!status.output.contains("blocked:"))

        let edited = try statusEntry(workspace, "2026-05-20-edited")
        #expect(edited["state"] == .string("applied"))
        let record = try #require(edited["repaired"]?.objectValue)
        #expect(record["reason"] == .string("fixed a typo"))
        #expect(record["previousChecksum"] == old)
        #expect(record["host"]?.stringValue?.isEmpty == false && record["at"]?.stringValue?.hasPrefix("20") == true)
        #expect(edited["checksumVersion"] == .int(1) && edited["baseline"] == .bool(false))
        #expect(edited["recovery"]?.stringValue?.hasPrefix("repaired ") == true)
        #expect(edited["recovery"]?.stringValue?.contains(": fixed a typo") == true)
        let gone = try statusEntry(workspace, "2026-05-21-deleted")
        #expect(gone["state"] == .string("retired"))
        #expect(gone["retired"]?.objectValue?["reason"] == .string("folded into 05-22"))

        let runs = try workspace.cairn("runs", "--db", workspace.database, "--json")
        #expect(runs.output.components(separatedBy: "\"kind\":\"repair\"").count - 1 == 2, "\(runs.output)")
        #expect(runs.output.contains("fixed a typo"), "the repair run's record keeps the reason")
        let up = try workspace.cairn("up", "--db", workspace.database)
        #expect(up.status == 0, "\(up.output)")
        #expect(try statusEntry(workspace, "2026-05-23-pending")["state"] == .string("applied"))
    }

    @Test("baseline marks the migrations up to ID applied without events; status --json says baseline, later ones stay pending")
    func baseline() throws {
        let workspace = try Workspace()
        try buildDemo(in: workspace)
        for id in ["2026-05-20-one", "2026-05-21-two", "2026-05-22-three"] {
            try workspace.write("seeds/\(id).sql", quietCLISeed(id))
        }
        let events = try scalar(workspace, "SELECT count(*) FROM events")
        let result = try workspace.cairn("baseline", "2026-05-21-two", "--db", workspace.database, "--reason", "migrated by hand in May")
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("baselined 2 migrations through 2026-05-21-two"), "\(result.output)")
        #expect(try scalar(workspace, "SELECT count(*) FROM events") == events)
        for id in ["2026-05-20-one", "2026-05-21-two"] {
            let entry = try statusEntry(workspace, id)
            #expect(entry["state"] == .string("applied") && entry["baseline"] == .bool(true))
            #expect(entry["baselineReason"] == .string("migrated by hand in May"))
        }
        #expect(try statusEntry(workspace, "2026-05-22-three")["state"] == .string("pending"))
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_runs WHERE kind = 'baseline' AND status = 'succeeded'") == 1)
        let again = try workspace.cairn("baseline", "2026-05-22-three", "--db", workspace.database, "--reason", "again")
        #expect(again.status == 2)
        #expect(again.output.contains("already has 2 applied migrations"), "\(again.output)")
    }

    @Test("a protected environment: refused without a terminal or with another name, --confirm NAME goes through, all with exit codes")
    func protectedWithoutTerminal() throws {
        let workspace = try appliedWorkspace()
        try workspace.write("cairn.toml", "[environments.prod]\ndatabase = \"events.sqlite\"\nprotected = true\n")
        try workspace.write("seeds/2026-05-20-edited.sql", quietCLISeed("edited"))
        let before = databaseDigest(workspace)
        let refused = try workspace.cairn("repair", "2026-05-20-edited", "--env", "prod", "--reason", "typo")
        #expect(refused.status == 2)
        #expect(refused.output.contains("prod is protected") && refused.output.contains("--confirm prod"), "\(refused.output)")
        let wrong = try workspace.cairn("repair", "2026-05-20-edited", "--env", "prod", "--reason", "typo", "--confirm", "staging")
        #expect(wrong.status == 2)
        #expect(wrong.output.contains("--confirm staging does not name this environment, prod"), "\(wrong.output)")
        #expect(databaseDigest(workspace) == before)
        let confirmed = try workspace.cairn("repair", "2026-05-20-edited", "--env", "prod", "--reason", "typo", "--confirm", "prod")
        #expect(confirmed.status == 0, "\(confirmed.output)")
        #expect(try statusEntry(workspace, "2026-05-20-edited", ["--env", "prod"])["state"] == .string("applied"))
    }

    @Test("on a terminal, a protected environment asks for its name: a wrong name refuses with nothing written, the right one repairs")
    func protectedOnATerminal() throws {
        let workspace = try appliedWorkspace()
        try workspace.write("cairn.toml", "[environments.prod]\ndatabase = \"events.sqlite\"\nprotected = true\n")
        try workspace.write("seeds/2026-05-20-edited.sql", quietCLISeed("edited"))
        let wrong = try TmuxSession(["repair", "2026-05-20-edited", "--env", "prod", "--reason", "typo"], in: workspace.url)
        try wrong.waitFor("prod is protected. Type its name to repair 2026-05-20-edited there:")
        try wrong.type("staging")
        try wrong.press("Enter")
        let refused = try wrong.waitFor("[exited 2]")
        #expect(refused.contains("'staging' is not prod"), "\(refused)")
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_runs WHERE kind = 'repair'") == 0)
        let right = try TmuxSession(["repair", "2026-05-20-edited", "--env", "prod", "--reason", "typo"], in: workspace.url)
        try right.waitFor("Type its name to repair")
        try right.type("prod")
        try right.press("Enter")
        let done = try right.waitFor("[exited 0]")
        #expect(done.contains("✓ repaired 2026-05-20-edited"), "\(done)")
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_markers WHERE repair_reason = 'typo'") == 1)
    }

    @Test("in the console in a real terminal, a on a drifted migration asks for a reason and repairs it; the list shows it applied")
    func consoleRepairsADrift() throws {
        let workspace = try appliedWorkspace()
        try workspace.write("seeds/2026-05-20-edited.sql", quietCLISeed("edited in the console test"))
        let tmux = try TmuxSession(["--db", workspace.database], in: workspace.url, width: 140, height: 35)
        try tmux.waitFor("≠ 2026-05-20-edited")
        try tmux.press("g", "g")
        try tmux.waitFor("a: repair — approve the edited file")
        try tmux.press("a")
        try tmux.waitFor("Repair a migration")
        try tmux.type("comment fixed")
        // Enter in the reason lands on Cancel, the default; → then enter repairs.
        try tmux.press("Enter")
        Thread.sleep(forTimeInterval: 0.3)
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_runs WHERE kind = 'repair'") == 0)
        try tmux.press("Right", "Enter")
        let done = try tmux.waitFor("its edited file is approved")
        #expect(done.contains("✓ 2026-05-20-edited"), "\(done)")
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_markers WHERE repair_reason = 'comment fixed' AND previous_checksum IS NOT NULL") == 1)
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_runs WHERE kind = 'repair' AND trigger = 'console'") == 1)
        try tmux.waitFor("repaired 20")
    }

    @Test("a repair that waited for the lock refuses, writing no marker, when the file was restored while it waited")
    func repairRechecksUnderTheLock() throws {
        let workspace = try appliedWorkspace()
        let original = quietCLISeed("to be edited")
        try workspace.write("seeds/2026-05-20-edited.sql", quietCLISeed("edited"))
        // Another live process holds the lock, as a boot in the middle of a migration does.
        let holder = try CairnProcess.spawnHelper(["python3", "-c", """
            import os, socket, sqlite3, time
            db = sqlite3.connect(\(CorpusCase.pythonString(workspace.database)), isolation_level=None)
            db.execute("INSERT INTO cairn_lock (id, token, holder, host, pid, acquired_at, heartbeat_at) "
                       "VALUES (1, 'other', 'cairn up (boot)', ?, ?, '2026-01-01T00:00:00.000Z', '2999-01-01T00:00:00.000Z')",
                       (socket.gethostname(), os.getpid()))
            time.sleep(120)
            """])
        defer { CairnProcess.stopHelper(holder) }
        #expect(try CairnProcess.wait(timeout: 20) { try scalar(workspace, "SELECT count(*) FROM cairn_lock") == 1 })
        let (repair, log) = try startLogged(
            workspace, ["repair", "2026-05-20-edited", "--db", workspace.database, "--reason", "typo", "--lock-timeout", "30"],
            log: "repair.log")
        defer { kill(repair.processIdentifier, SIGKILL) }
        #expect(try CairnProcess.wait(timeout: 20) {
            (try? String(contentsOf: log, encoding: .utf8))?.contains("waiting up to 30 s for the migration lock") == true
        })
        try workspace.write("seeds/2026-05-20-edited.sql", original)
        CairnProcess.stopHelper(holder)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: workspace.database, configuration: configuration)
        try queue.write { db in try db.execute(sql: "DELETE FROM cairn_lock") }
        try queue.close()
        repair.waitUntilExit()
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(repair.terminationStatus == 2, "\(output)")
        #expect(output.contains("while this repair waited for the migration lock, things changed: 2026-05-20-edited is applied"),
                "\(output)")
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_markers WHERE repaired_at IS NOT NULL") == 0)
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_runs WHERE kind = 'repair'") == 0)
        #expect(try statusEntry(workspace, "2026-05-20-edited")["state"] == .string("applied"))
    }

    @Test("--db naming the file of a protected environment of cairn.toml is that environment: protected, under its name")
    func dbPathOfAProtectedEnvironment() throws {
        let workspace = try appliedWorkspace()
        try workspace.write("cairn.toml", "[environments.prod]\ndatabase = \"events.sqlite\"\nprotected = true\n")
        try workspace.write("seeds/2026-05-20-edited.sql", quietCLISeed("edited"))
        for spelling in [workspace.database, "./events.sqlite", "seeds/../events.sqlite"] {
            let refused = try workspace.cairn("repair", "2026-05-20-edited", "--db", spelling, "--reason", "typo")
            #expect(refused.status == 2, "\(spelling): \(refused.output)")
            #expect(refused.output.contains("prod is protected"), "\(spelling): \(refused.output)")
        }
        try FileManager.default.createSymbolicLink(atPath: workspace.path("link.sqlite"), withDestinationPath: workspace.database)
        let linked = try workspace.cairn("baseline", "2026-05-23-pending", "--db", workspace.path("link.sqlite"), "--reason", "x")
        #expect(linked.status == 2)
        #expect(linked.output.contains("prod is protected") || linked.output.contains("already has"), "\(linked.output)")
        let status = try workspace.cairn("status", "--db", "./events.sqlite")
        #expect(status.output.hasPrefix("prod · "), "\(status.output)")
    }

    @Test("a database file with a second hard link is refused: a process opening it by the other name would use another WAL and not see the lock")
    func hardLinkedDatabaseRefused() throws {
        let workspace = try appliedWorkspace()
        try FileManager.default.linkItem(atPath: workspace.database, toPath: workspace.path("hard.sqlite"))
        for name in [workspace.database, workspace.path("hard.sqlite")] {
            let result = try workspace.cairn("status", "--db", name)
            #expect(result.status == 2, "\(result.output)")
            #expect(result.output.contains("has 2 names (hard links)"), "\(result.output)")
        }
        #expect(!FileManager.default.fileExists(atPath: workspace.path("hard.sqlite-wal")), "nothing was opened by the other name")
    }

    @Test("a file that any environment of cairn.toml protects is protected under every name: --db, and --env of an unprotected alias")
    func protectedUnderEveryName() throws {
        let workspace = try appliedWorkspace()
        try workspace.write("cairn.toml", """
            [environments.dev]
            database = "events.sqlite"
            [environments.prod]
            database = "./events.sqlite"
            protected = true
            """)
        try workspace.write("seeds/2026-05-20-edited.sql", quietCLISeed("edited"))
        let byPath = try workspace.cairn("repair", "2026-05-20-edited", "--db", workspace.database, "--reason", "typo")
        #expect(byPath.status == 2)
        #expect(byPath.output.contains("prod is protected"), "\(byPath.output)")
        let byAlias = try workspace.cairn("repair", "2026-05-20-edited", "--env", "dev", "--reason", "typo")
        #expect(byAlias.status == 2)
        #expect(byAlias.output.contains("dev is protected"), "\(byAlias.output)")
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_runs WHERE kind = 'repair'") == 0)
    }
}
