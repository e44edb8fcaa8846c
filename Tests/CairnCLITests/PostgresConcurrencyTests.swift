import CairnDemo
import CairnPostgres
import CairnStore
import Foundation
import Testing

@Suite("PostgreSQL: the lock across processes, kill -9, unlock --force and rebuild",
       .enabled(if: PostgresServer.available, "PostgreSQL is not installed (CI installs it)"))
struct PostgresConcurrencyTests {
    /// A workspace with the demo and a slow seed: one incident resolved per batch.
    private func slowWorkspace() throws -> PostgresWorkspace {
        let pg = try PostgresWorkspace()
        try pg.buildDemo()
        let seed = pg.workspace.path("seeds/postgres/2026-05-12-resolve-stale-low-incidents.sql")
        let text = try String(contentsOfFile: seed, encoding: .utf8).replacingOccurrences(of: "-- batch: 50", with: "-- batch: 1")
        try text.write(toFile: seed, atomically: true, encoding: .utf8)
        return pg
    }

    private func start(_ pg: PostgresWorkspace, _ arguments: [String], log: String) throws -> (ChildProcess, URL) {
        try startLogged(pg.workspace, arguments + ["--db", pg.url, "--seeds", "seeds/postgres"], log: log)
    }

    @Test("four runners at once beside an application writer: each migration once, the losers exit 4 naming the holder")
    func fourRunnersApplyEachMigrationOnce() throws {
        let pg = try slowWorkspace()
        let lowOpen = try pg.scalar("SELECT count(*) FROM incidents WHERE status = 'open' AND severity = 'low'")
        let store = try PostgresStore(pg.url, domain: DemoApplication.domain)
        defer { store.close() }
        let runners = try (0..<4).map { index in
            try start(pg, ["up", "--throttle", "150", "--lock-timeout", "1"], log: "runner-\(index).log")
        }
        defer { for (process, _) in runners where process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        // The application writes beside them, through the same handlers.
        var written = 0
        for number in 0..<20 {
            try store.execute(Command(
                QualifiedName(validated: "user:write:register"), payload: ["userId": .string("u-app-\(number)"), "email": .string("app\(number)@example.com"),
                                                 "name": .string("App \(number)")], actor: .system))
            written += 1
        }
        #expect(try CairnProcess.wait(timeout: 90) { runners.allSatisfy { !$0.0.isRunning } })
        var winners = 0
        for (process, log) in runners {
            let output = try String(contentsOf: log, encoding: .utf8)
            if process.terminationStatus == 4 {
                #expect(output.contains("the migration lock is held by cairn up (cli) — pid"), "\(output)")
                #expect(output.contains(" on "), "the holder's host is named: \(output)")
            } else {
                winners += 1
                #expect(process.terminationStatus == 1, "the winner stops at the trap: \(output)")
            }
        }
        #expect(winners == 1)
        #expect(written == 20)
        #expect(try pg.scalar("SELECT count(*) FROM events WHERE migration_id = '2026-05-12-resolve-stale-low-incidents'") == lowOpen)
        #expect(try pg.scalar("SELECT count(*) FROM cairn_markers") == 3)
        #expect(try pg.scalar("SELECT count(*) FROM users WHERE id LIKE 'u-app-%'") == 20)
        #expect(try pg.scalar("SELECT count(*) FROM cairn_lock") == 0)
    }

    @Test("a runner killed with kill -9 mid-run: the server frees its lock, the next runner takes over at once and finishes exactly once")
    func killedRunnerIsTakenOverAtOnce() throws {
        let pg = try slowWorkspace()
        let lowOpen = try pg.scalar("SELECT count(*) FROM incidents WHERE status = 'open' AND severity = 'low'")
        let (first, _) = try start(pg, ["up", "--throttle", "300"], log: "first.log")
        #expect(try CairnProcess.wait(timeout: 30) {
            (try? pg.scalar("SELECT coalesce(max(rows_done), 0) FROM cairn_attempts WHERE migration_id = '2026-05-12-resolve-stale-low-incidents'")) ?? 0 >= 2
        })
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let started = Date()
        // A stale-after far longer than the test: only the server's release lets this runner in.
        let next = try pg.cairn("up", "--stale-after", "3600", "--lock-timeout", "20")
        #expect(Date().timeIntervalSince(started) < 15)
        #expect(next.status == 1, "\(next.output)")
        #expect(next.output.contains("took over"), "\(next.output)")
        #expect(next.output.contains("connection to the database is gone"), "\(next.output)")
        #expect(try pg.scalar("SELECT count(*) FROM events WHERE migration_id = '2026-05-12-resolve-stale-low-incidents'") == lowOpen)
        #expect(try pg.scalar("""
            SELECT count(*) FROM (SELECT stream_id FROM events WHERE migration_id = '2026-05-12-resolve-stale-low-incidents'
            GROUP BY stream_id HAVING count(*) > 1) twice
            """) == 0)
        #expect(try pg.scalar("SELECT count(*) FROM cairn_runs WHERE status = 'interrupted'") == 1)
        #expect(try pg.scalar("SELECT count(*) FROM cairn_markers WHERE migration_id = '2026-05-12-resolve-stale-low-incidents'") == 1)
    }

    @Test("unlock --force ends a live holder's database connection, says so, and the holder stops before its next batch")
    func unlockForceEndsTheHoldersConnection() throws {
        let pg = try slowWorkspace()
        let (holder, log) = try start(pg, ["up", "--throttle", "500"], log: "holder.log")
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
        #expect(try CairnProcess.wait(timeout: 30) { (try? pg.scalar("SELECT count(*) FROM cairn_lock")) == 1 })
        let refused = try pg.cairn("unlock")
        #expect(refused.status == 4, "\(refused.output)")
        let forced = try pg.cairn("unlock", "--force")
        #expect(forced.status == 0, "\(forced.output)")
        #expect(forced.stdout.contains("ended the holder's database connection (server process"), "\(forced.output)")
        #expect(try CairnProcess.wait(timeout: 20) { !holder.isRunning })
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(output.contains("the migration lock was broken"), "\(output)")
        #expect(try pg.scalar("SELECT count(*) FROM cairn_runs WHERE status = 'interrupted'") == 1)
    }

    @Test("rebuild on PostgreSQL swaps in tables equal to the live ones, indexes under the live names, no shadow left")
    func rebuildSwapsInEqualTables() throws {
        let pg = try PostgresWorkspace()
        try pg.buildDemo()
        #expect(try pg.cairn("up").status == 1)
        let fingerprint = "SELECT md5(string_agg(id || roles::text || stream_tenant, ',' ORDER BY id)) FROM memberships"
        let before = try pg.sql(fingerprint)
        let incidents = try pg.sql("SELECT md5(string_agg(id || status || severity, ',' ORDER BY id)) FROM incidents")
        let indexes = try pg.sql("SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'memberships'")
        let rebuild = try pg.cairn("rebuild")
        #expect(rebuild.status == 0, "\(rebuild.output)")
        #expect(try pg.sql(fingerprint) == before)
        #expect(try pg.sql("SELECT md5(string_agg(id || status || severity, ',' ORDER BY id)) FROM incidents") == incidents)
        #expect(try pg.sql("SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'memberships'") == indexes)
        #expect(try pg.scalar("SELECT count(*) FROM pg_tables WHERE tablename LIKE '%rebuild%'") == 0)
        #expect(try pg.scalar("SELECT count(*) FROM cairn_projections WHERE rebuilt_at IS NOT NULL") == 4)
    }
}
