import CairnDemo
import CairnStore
import Foundation
import GRDB
import Testing

/// A seed that resolves every open incident one row per batch, so a run spans many transactions.
let resolveEveryOpenIncident = """
    -- description: resolve every open incident, one per batch
    -- batch: 1

    -- @write incident:write:resolve
    SELECT json_object('incidentId', id, 'tenantId', tenant_id) AS payload
    FROM incidents WHERE status = 'open' ORDER BY id;
    """

/// A read-only connection to the workspace's database.
func readOnlyQueue(_ workspace: Workspace) throws -> DatabaseQueue {
    try readOnlyQueue(path: workspace.database)
}

/// A read-only connection to the database at `path`.
func readOnlyQueue(path: String) throws -> DatabaseQueue {
    var configuration = Configuration()
    configuration.readonly = true
    configuration.busyMode = .timeout(10)
    return try DatabaseQueue(path: path, configuration: configuration)
}

/// A workspace with the small demo and a seed that resolves every open incident one row per batch.
func slowSeedWorkspace() throws -> Workspace {
    let workspace = try Workspace()
    try buildDemo(in: workspace)
    try workspace.write("seeds/2026-06-01-resolve-all.sql", resolveEveryOpenIncident)
    return workspace
}

/// A seed resolving every open high-severity incident, `batch` rows per batch: the
/// incidents an application opens (high, in `AppWriterCommand`) become its candidates.
func resolveOpenHighIncidents(batch: Int) -> String {
    """
    -- description: resolve every open high-severity incident
    -- batch: \(batch)

    -- @write incident:write:resolve
    SELECT json_object('incidentId', id, 'tenantId', tenant_id) AS payload
    FROM incidents WHERE status = 'open' AND severity = 'high' ORDER BY id;
    """
}

/// Starts `cairn up` pausing `throttle` ms between batches, and waits until `ready` holds.
func startSlowUp(_ workspace: Workspace, throttle: Int, until ready: String) throws -> ChildProcess {
    let process = try CairnProcess.start(
        ["up", "--db", workspace.database, "--throttle", "\(throttle)"], in: workspace.url,
        stdout: FileHandle.nullDevice, stderr: FileHandle.nullDevice)
    #expect(try CairnProcess.wait(timeout: 30) { try scalar(workspace, ready) >= 1 })
    return process
}

@Suite("Crashes, concurrent runners and the lock, with real processes", .serialized)
struct CrashAndConcurrencyTests {
    @Test("beside a runner stopped by SIGSTOP inside a batch, up and rebuild wait out --lock-timeout and exit 4 naming the holder, unlock --force exits 4 naming the file; after SIGCONT the runner finishes")
    func stoppedRunnerInsideABatchMakesWaitersExitFour() throws {
        let workspace = try Workspace()
        try buildDemo(in: workspace)
        try workspace.write("seeds/2026-08-01-big-users.sql", registerSixtyThousandUsers.replacingOccurrences(
            of: "-- batch: 100", with: "-- atomic: true"))
        let (runner, log) = try startLogged(workspace, ["up", "--db", workspace.database], log: "up.log")
        #expect(try CairnProcess.wait(timeout: 30) { try scalar(workspace, "SELECT count(*) FROM cairn_attempts") == 1 })
        // Inside the one transaction of the atomic migration: SQLite's write lock is held.
        func writeLockIsHeld() throws -> Bool {
            let probe = try CairnProcess.runTool("/usr/bin/python3", ["-c", """
                import sqlite3, sys
                db = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)
                try:
                    db.execute("BEGIN IMMEDIATE"); db.execute("ROLLBACK"); print("free")
                except sqlite3.OperationalError:
                    print("held")
                """, workspace.database])
            return probe.stdout.contains("held")
        }
        #expect(try CairnProcess.wait(timeout: 30) { try writeLockIsHeld() })
        kill(runner.processIdentifier, SIGSTOP)
        defer { kill(runner.processIdentifier, SIGCONT) }
        #expect(try writeLockIsHeld())

        for command in [["up"], ["rebuild", "users"]] {
            let started = Date()
            let waiter = try CairnProcess.run(command + ["--db", workspace.database, "--lock-timeout", "3"], in: workspace.url)
            let waited = Date().timeIntervalSince(started)
            #expect(waiter.status == 4, "\(command): \(waiter.output)")
            #expect(waiter.stderr.contains("held by cairn up (cli) — pid \(runner.processIdentifier)"), "\(waiter.output)")
            #expect(waited >= 2.5 && waited < 20, "\(command) waited \(waited) s")
            #expect(!waiter.output.contains("SQLite failed"), "\(waiter.output)")
        }
        let unlock = try workspace.cairn("unlock", "--force", "--db", workspace.database)
        #expect(unlock.status == 4, "\(unlock.output)")
        #expect(unlock.stderr.contains("the database at \(workspace.database) locked"), "\(unlock.output)")
        #expect(unlock.stderr.contains("kill -CONT"), "\(unlock.output)")

        kill(runner.processIdentifier, SIGCONT)
        runner.waitUntilExit()
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(runner.terminationStatus == 0, "\(output)")
        #expect(try scalar(workspace, "SELECT count(*) FROM users WHERE id LIKE 'big-%'") == 60_000)
    }

    @Test("a reader holding a rollback-journal file makes up wait out --lock-timeout and exit 4 saying why; once it is gone up runs and the file is WAL")
    func rollbackJournalReaderMakesUpExitFour() throws {
        let workspace = try Workspace()
        try buildDemo(in: workspace)
        try workspace.write("seeds/2026-06-01-resolve-high.sql", resolveOpenHighIncidents(batch: 500))
        let convert = try CairnProcess.runTool("/usr/bin/python3", ["-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            print(db.execute("PRAGMA journal_mode=DELETE").fetchone()[0])
            """, workspace.database])
        #expect(convert.stdout.contains("delete"), "\(convert.output)")
        let reader = try CairnProcess.spawnHelper(["/usr/bin/python3", "-c", """
            import sqlite3, time
            db = sqlite3.connect(\(CorpusCase.pythonString(workspace.database)), isolation_level=None)
            db.execute("BEGIN"); db.execute("SELECT count(*) FROM events").fetchone()
            open(\(CorpusCase.pythonString(workspace.path("reading"))), "w").close()
            time.sleep(60)
            """])
        #expect(try CairnProcess.wait(timeout: 20) { FileManager.default.fileExists(atPath: workspace.path("reading")) })
        let started = Date()
        let up = try workspace.cairn("up", "--db", workspace.database, "--lock-timeout", "2")
        let waited = Date().timeIntervalSince(started)
        CairnProcess.stopHelper(reader)
        #expect(up.status == 4, "\(up.output)")
        #expect(up.stderr.contains("rollback-journal mode"), "\(up.output)")
        #expect(waited >= 1.5 && waited < 10, "waited \(waited) s")
        let again = try workspace.cairn("up", "--db", workspace.database)
        #expect(again.status == 0, "\(again.output)")
        let header = try #require(FileManager.default.contents(atPath: workspace.database))
        #expect(header[18] == 2, "the file is in WAL mode now")
    }

    @Test("candidates an application adds between batches are worked through, not taken for a seed that is not idempotent")
    func applicationsNewCandidatesAreNotANonIdempotentSeed() throws {
        let workspace = try Workspace()
        try buildDemo(in: workspace)
        try workspace.write("seeds/2026-06-01-resolve-high.sql", resolveOpenHighIncidents(batch: 3))
        let application = try EventStore(path: workspace.database, domain: DemoApplication.domain)
        let actor = Actor(role: .admin, id: "application")
        func openHigh(_ id: String) throws {
            try application.execute(Command(QualifiedName(validated: "incident:write:open"), payload: [
                "incidentId": .string(id), "tenantId": "acme", "title": "opened by the application", "severity": "high",
            ], actor: actor))
        }
        for index in 1...6 { try openHigh("i-app-before-\(index)") }
        let process = try CairnProcess.start(
            ["up", "--db", workspace.database, "--throttle", "60"], in: workspace.url,
            stdout: FileHandle.nullDevice, stderr: FileHandle.nullDevice)
        // The application opens high-severity incidents — new candidates — while the seed runs.
        var opened = 0
        while process.isRunning && opened < 40 {
            opened += 1
            try openHigh("i-app-during-\(opened)")
            Thread.sleep(forTimeInterval: 0.03)
        }
        process.waitUntilExit()
        try application.pool.close()
        #expect(opened >= 5, "the application should have written during the run")
        let log = try workspace.cairn("log", "1", "--db", workspace.database).output
        #expect(process.terminationStatus == 0, "\(log)")
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_markers") == 1)
    }

    @Test("a runner killed with SIGKILL between batches leaves no marker; the next up takes the stale lock over and completes with exactly the expected events")
    func crashBetweenBatches() throws {
        let workspace = try slowSeedWorkspace()
        let open = try scalar(workspace, "SELECT count(*) FROM incidents WHERE status = 'open'")
        #expect(open >= 10)

        let process = try CairnProcess.start(
            ["up", "--db", workspace.database, "--throttle", "40"], in: workspace.url,
            stdout: FileHandle.nullDevice, stderr: FileHandle.nullDevice)
        let reachedMiddle = try CairnProcess.wait(timeout: 60) {
            try scalar(workspace, "SELECT coalesce(max(rows_done), 0) FROM cairn_attempts") >= 4
        }
        #expect(reachedMiddle)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        let committed = try scalar(workspace, "SELECT count(*) FROM events WHERE migration_id IS NOT NULL")
        #expect(committed >= 4 && committed < open, "killed after \(committed) of \(open) rows")
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_markers") == 0)
        // Progress and events commit together: the attempt counts exactly what is in the store.
        #expect(try scalar(workspace, "SELECT rows_done FROM cairn_attempts") == committed)
        #expect(try scalar(workspace, "SELECT count(*) FROM incidents WHERE status = 'open'") == open - committed)

        let rerun = try workspace.cairn("up", "--db", workspace.database)
        #expect(rerun.status == 0, "\(rerun.output)")
        #expect(rerun.stdout.contains("took over a stale migration lock"))
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_markers") == 1)
        #expect(try scalar(workspace, "SELECT count(*) FROM events WHERE migration_id IS NOT NULL") == open)
        #expect(try scalar(workspace, """
            SELECT count(*) FROM (SELECT stream_id FROM events WHERE type = 'incident.resolved'
                                  GROUP BY stream_id HAVING count(*) > 1)
            """) == 0)
        #expect(try scalar(workspace, "SELECT count(*) FROM incidents WHERE status = 'open'") == 0)
        // The marker counts the migration's events over all its runs, the killed one's too.
        #expect(try scalar(workspace, "SELECT events_written FROM cairn_markers") == open)
        #expect(rerun.stdout.contains("\(open - committed) events in this run, \(open) over all its runs"), "\(rerun.output)")
        let integrity = try readOnlyQueue(workspace).read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == "ok")
        let first = try readOnlyQueue(workspace).read { db in
            try Row.fetchOne(db, sql: "SELECT status, error FROM cairn_runs WHERE id = 1")!
        }
        #expect(first["status"] as String == "interrupted")
        #expect((first["error"] as String).contains("process \(process.processIdentifier)"))
    }

    @Test("three cairn up processes started together apply each migration exactly once", arguments: 1...3)
    func concurrentRunners(trial: Int) throws {
        let workspace = try slowSeedWorkspace()
        try workspace.write("seeds/2026-06-02-open-one.sql", """
            -- description: open one incident
            -- @write incident:write:open
            SELECT json_object('incidentId', 'i-race', 'tenantId', 'acme', 'title', 'race', 'severity', 'low') AS payload
            WHERE NOT EXISTS (SELECT 1 FROM incidents WHERE id = 'i-race');
            """)
        let open = try scalar(workspace, "SELECT count(*) FROM incidents WHERE status = 'open'")
        let processes = try (0..<3).map { index -> (ChildProcess, URL) in
            let log = workspace.url.appendingPathComponent("runner-\(index).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            return (try CairnProcess.start(["up", "--db", workspace.database, "--lock-timeout", "60", "--throttle", "10"], in: workspace.url,
                                           stdout: handle, stderr: handle), log)
        }
        for (process, _) in processes { process.waitUntilExit() }
        let statuses = processes.map(\.0.terminationStatus)
        let logs = try processes.map { try String(contentsOf: $0.1, encoding: .utf8) }
        #expect(statuses == [0, 0, 0], "\(logs)")
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_markers") == 2)
        #expect(try scalar(workspace, "SELECT count(*) FROM events WHERE migration_id IS NOT NULL") == open + 1)
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_runs WHERE kind = 'migrate'") == 1)
        #expect(logs.filter { $0.contains("✓ 2026-06-01-resolve-all") }.count == 1)
    }

    @Test("four runners started together after one was killed mid-run: one takes the stale lock over, the others wait for it and exit 4 naming it, none fails on SQLite's own lock")
    func runnersAfterAKillWaitForTheLock() throws {
        let workspace = try mediumDemoWorkspace()
        try workspace.write("seeds/2026-08-01-big-users.sql", registerSixtyThousandUsers)
        let first = try CairnProcess.start(
            ["up", "--db", workspace.database], in: workspace.url, stdout: FileHandle.nullDevice, stderr: FileHandle.nullDevice)
        #expect(try CairnProcess.wait(timeout: 30) {
            try scalar(workspace, "SELECT coalesce(max(rows_done), 0) FROM cairn_attempts") >= 500
        })
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()

        let runners = try (0..<4).map { index in
            try startLogged(workspace, ["up", "--db", workspace.database, "--lock-timeout", "3"], log: "runner-\(index).log")
        }
        defer {
            for (process, _) in runners where process.isRunning { kill(process.processIdentifier, SIGKILL) }
            for (process, _) in runners { process.waitUntilExit() }
        }
        #expect(try CairnProcess.wait(timeout: 60) { runners.filter { !$0.0.isRunning }.count == 3 })
        let finished = runners.filter { !$0.0.isRunning }
        for (process, log) in finished {
            let output = try String(contentsOf: log, encoding: .utf8)
            #expect(process.terminationStatus == 4, "\(output)")
            #expect(output.contains("the migration lock is held by cairn up (cli)"), "\(output)")
            #expect(!output.contains("database is locked"), "\(output)")
        }
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_runs WHERE status = 'interrupted'") == 1)
    }

    @Test("a second runner's small --stale-after never takes a healthy runner's lock between its heartbeats")
    func smallStaleAfterCannotStealALiveLock() throws {
        let workspace = try slowSeedWorkspace()
        let holder = try startSlowUp(workspace, throttle: 2500, until: "SELECT coalesce(max(rows_done), 0) FROM cairn_attempts")
        defer {
            kill(holder.processIdentifier, SIGKILL)
            holder.waitUntilExit()
        }
        let thief = try workspace.cairn("up", "--db", workspace.database, "--stale-after", "1", "--lock-timeout", "6")
        #expect(thief.status == 4, "\(thief.output)")
        #expect(!thief.stdout.contains("took over"), "\(thief.output)")
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_runs WHERE status = 'interrupted'") == 0)
        #expect(holder.isRunning)
    }

    @Test("a runner that cannot get the lock in time exits 4 naming the holder, and writes nothing")
    func lockTimeoutNamesHolder() throws {
        let workspace = try slowSeedWorkspace()
        // The holder's run row is written after it took the lock: once it exists, the lock is held.
        let holder = try startSlowUp(workspace, throttle: 100, until: "SELECT count(*) FROM cairn_runs")
        defer {
            kill(holder.processIdentifier, SIGKILL)
            holder.waitUntilExit()
        }
        let runs = try scalar(workspace, "SELECT count(*) FROM cairn_runs")
        let loser = try workspace.cairn("up", "--db", workspace.database, "--lock-timeout", "0.5")
        #expect(loser.status == 4, "\(loser.output)")
        #expect(loser.stderr.contains("the migration lock is held by cairn up (cli) — pid \(holder.processIdentifier)"))
        #expect(loser.stderr.contains("cairn unlock --force"))
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_runs") == runs)

        let unlock = try workspace.cairn("unlock", "--db", workspace.database)
        #expect(unlock.status == 4, "a live holder is not stale: \(unlock.output)")
        let forced = try workspace.cairn("unlock", "--force", "--db", workspace.database)
        #expect(forced.status == 0, "\(forced.output)")
        #expect(forced.stdout.contains("lock broken"))
        // The broken holder notices at its next batch and stops without committing it.
        holder.waitUntilExit()
        #expect(holder.terminationStatus == 1)
        let run = try readOnlyQueue(workspace).read { db in try Row.fetchOne(db, sql: "SELECT status, error FROM cairn_runs WHERE kind = 'migrate'")! }
        #expect(["interrupted", "failed"].contains(run["status"] as String))
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_markers") == 0)
    }

    @Test("a lock left by a killed process is stale: unlock breaks it without --force")
    func staleLockBreaks() throws {
        let workspace = try slowSeedWorkspace()
        let holder = try startSlowUp(workspace, throttle: 100, until: "SELECT count(*) FROM cairn_lock")
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        let status = try workspace.cairn("status", "--db", workspace.database)
        #expect(status.stdout.contains("locked by cairn up (cli) — pid \(holder.processIdentifier)"))
        #expect(status.stdout.contains("stale (process \(holder.processIdentifier) on"), "\(status.output)")
        let unlock = try workspace.cairn("unlock", "--db", workspace.database)
        #expect(unlock.status == 0, "\(unlock.output)")
        #expect(unlock.stdout.contains("process \(holder.processIdentifier)"))
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_lock") == 0)
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_runs WHERE kind = 'unlock'") == 1)
    }

    @Test("log --follow streams a run that another process is making, until it ends")
    func followAnotherProcess() throws {
        let workspace = try slowSeedWorkspace()
        let runner = try startSlowUp(workspace, throttle: 20, until: "SELECT count(*) FROM cairn_runs")
        let follow = try workspace.cairn("log", "--follow", "--db", workspace.database)
        runner.waitUntilExit()
        #expect(follow.status == 0)
        #expect(follow.stdout.contains("status: running") || follow.stdout.contains("· running ·"))
        #expect(follow.stdout.contains("✓ 2026-06-01-resolve-all"))
        #expect(follow.stdout.contains("run 1 ended: succeeded"))
    }
}
