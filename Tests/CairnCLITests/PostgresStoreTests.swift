import CairnDemo
import CairnPostgres
import CairnRunner
import CairnStore
import Foundation
import Testing

@Suite("PostgreSQL: the store API an application embeds", .enabled(if: PostgresServer.available, "PostgreSQL is not installed (CI installs it)"))
struct PostgresStoreTests {
    private func register(_ id: String) -> Command {
        Command(
            QualifiedName(validated: "user:write:register"),
            payload: ["userId": .string(id), "email": .string("\(id)@example.com"), "name": .string(id)], actor: .system)
    }

    @Test("appends use optimistic concurrency: a stale expected version is a typed VersionConflict, and the transaction stays usable")
    func staleAppendIsAVersionConflict() throws {
        let server = try PostgresServer.start()
        let store = try PostgresStore(try server.makeDatabase(), domain: DemoApplication.domain, mode: .createIfNeeded)
        defer { store.close() }
        try store.write { transaction in
            _ = try transaction.append(
                to: "s-1", streamType: "thing", expectedVersion: 0, events: [NewEvent(type: "thing.made", payload: ["n": .int(1)])])
        }
        let outcome = try store.write { transaction -> String in
            do {
                _ = try transaction.append(
                    to: "s-1", streamType: "thing", expectedVersion: 0, events: [NewEvent(type: "thing.made", payload: ["n": .int(2)])])
                return "appended"
            } catch let conflict as VersionConflict {
                // The same transaction goes on after the conflict, as it does on SQLite.
                _ = try transaction.append(
                    to: "s-1", streamType: "thing", expectedVersion: 1, events: [NewEvent(type: "thing.made", payload: ["n": .int(3)])])
                return "conflict at \(conflict.actualVersion)"
            }
        }
        #expect(outcome == "conflict at 1")
        let stream = try store.write { try $0.loadStream("s-1") }
        #expect(stream.events.map(\.version) == [1, 2])
        #expect(try stream.events[1].payloadObject()["n"] == .int(3))
        // Another tenant's stream is invisible, and appending to it is a conflict naming the owner.
        #expect(throws: VersionConflict.self) {
            try store.write { transaction in
                _ = try transaction.append(
                    to: "s-1", streamType: "thing", tenant: "other", expectedVersion: 0,
                    events: [NewEvent(type: "thing.made", payload: [:])])
            }
        }
    }

    @Test("two processes' worth of concurrent appends to one stream: every version once, the losers get VersionConflict")
    func concurrentAppendsNeverShareAVersion() throws {
        let server = try PostgresServer.start()
        let url = try server.makeDatabase()
        let store = try PostgresStore(url, domain: DemoApplication.domain, mode: .createIfNeeded)
        defer { store.close() }
        let conflicts = Counter()
        let appended = Counter()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for _ in 0..<10 {
                do {
                    try store.write { transaction in
                        let stream = try transaction.loadStream("shared")
                        _ = try transaction.append(
                            to: "shared", streamType: "counter", expectedVersion: stream.version,
                            events: [NewEvent(type: "counter.bumped", payload: ["worker": .int(Int64(worker))])])
                    }
                    appended.add()
                } catch is VersionConflict {
                    conflicts.add()
                } catch {
                    Issue.record("unexpected \(error)")
                }
            }
        }
        let versions = try store.query { model in
            try model.fetchAll("SELECT version FROM events WHERE stream_id = 'shared' ORDER BY version").compactMap { $0[0].int }
        }
        #expect(versions == Array(1...Int64(appended.value)))
        #expect(appended.value + conflicts.value == 80)
        #expect(appended.value >= 10)
    }

    @Test("text with a NUL character is refused before it reaches the server, naming the field")
    func nulIsRefused() throws {
        let server = try PostgresServer.start()
        let store = try PostgresStore(try server.makeDatabase(), domain: DemoApplication.domain, mode: .createIfNeeded)
        defer { store.close() }
        #expect(throws: StoreError.self) {
            try store.execute(Command(
                QualifiedName(validated: "user:write:register"),
                payload: ["userId": .string("u\u{0}x"), "email": .string("a@b.c"), "name": .string("n")], actor: .system))
        }
        #expect(try store.headPosition() == 0)
    }

    @Test("Cairn.boot takes a postgres:// URL: it creates the tables, applies the seeds once, and a second boot does nothing")
    func bootTakesAURL() async throws {
        let pg = try PostgresWorkspace()
        try pg.buildDemo()
        for name in ["2026-05-21-grant-responder-role.sql", "2026-06-02-open-status-page-review.sql"] {
            try FileManager.default.removeItem(atPath: pg.workspace.path("seeds/postgres/\(name)"))
        }
        let first = try await Cairn.boot(DemoApplication.application, database: pg.url, seeds: pg.workspace.path("seeds/postgres"), logger: .cairnQuiet)
        #expect(first.applied.count == 3)
        let second = try await Cairn.boot(
            DemoApplication.application, database: pg.url, seeds: pg.workspace.path("seeds/postgres"), logger: .cairnQuiet)
        #expect(second.applied.isEmpty)
        #expect(try pg.scalar("SELECT count(*) FROM cairn_markers") == 3)
        #expect(try pg.scalar("SELECT count(*) FROM cairn_runs WHERE trigger = 'boot' AND status = 'succeeded'") >= 1)
        let store = try Cairn.open(DemoApplication.application, database: pg.url)
        defer { store.close() }
        let tenants = try await store.query { model in try model.scalar("SELECT count(*) FROM tenants")?.int ?? 0 }
        #expect(tenants == 4)
        let events = try await store.execute(register("u-after-boot"))
        #expect(events.count == 1)
    }

    @Test("a view's change token moves within a second of another connection's commit, and stays put while nothing happens")
    func changeTokenFollowsNotifications() throws {
        let server = try PostgresServer.start()
        let url = try server.makeDatabase()
        let viewer = try PostgresStore(url, domain: DemoApplication.domain, mode: .createIfNeeded)
        let writer = try PostgresStore(url, domain: DemoApplication.domain)
        defer {
            viewer.close()
            writer.close()
        }
        let first = try viewer.changeToken()
        #expect(try viewer.changeToken() == first)
        try writer.execute(register("u-notified"))
        #expect(try CairnProcess.wait(timeout: 1) { try viewer.changeToken() != first })
        let moved = try viewer.changeToken()
        Thread.sleep(forTimeInterval: 0.2)
        #expect(try viewer.changeToken() == moved)
    }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        var value: Int { lock.withLock { count } }
        func add() { lock.withLock { count += 1 } }
    }
}

@Suite("PostgreSQL: the console", .serialized, .enabled(if: PostgresServer.available, "PostgreSQL is not installed (CI installs it)"))
struct PostgresConsoleTests {
    @Test("the console on PostgreSQL shows the URL without its password and another process's run live")
    func consoleShowsAnotherProcessesRunLive() throws {
        let pg = try PostgresWorkspace()
        try pg.buildDemo()
        let tmux = try TmuxSession(["--db", pg.url, "--seeds", "seeds/postgres"], in: pg.workspace.url)
        try tmux.waitFor("0 applied · 5 pending")
        #expect(!(try tmux.capture()).contains(pg.server.password))
        let up = try pg.cairn("up", "--to", "2026-05-12-resolve-stale-low-incidents")
        #expect(up.status == 0, "\(up.output)")
        let screen = try tmux.waitFor("2 applied · 3 pending", timeout: 5)
        #expect(screen.contains("✓ 2026-05-01-create-status-tenant"))
        try tmux.press("2")
        try tmux.waitFor("✓ 1 migrate cli succeeded")
        #expect(!(try tmux.capture()).contains(pg.server.password))
        try tmux.press("q")
    }

    @Test("an environment of cairn.toml on PostgreSQL shows its URL without the password, in the title and the environments pane")
    func environmentsPaneHidesThePassword() throws {
        let pg = try PostgresWorkspace()
        try pg.buildDemo()
        try pg.workspace.write("cairn.toml", """
            seeds = "seeds/postgres"
            default_environment = "cluster"

            [environments.cluster]
            database = "\(pg.url)"
            """)
        let tmux = try TmuxSession(["--env", "cluster"], in: pg.workspace.url, width: 120, height: 35)
        let first = try tmux.waitFor("0 applied · 5 pending")
        #expect(first.contains("cairn · cluster · 127.0.0.1/\(pg.server.databaseName(pg.url))"), "\(first)")
        try tmux.press("e")
        let pane = try tmux.waitFor("database postgres://postgres@127.0.0.1")
        #expect(!pane.contains(pg.server.password), "\(pane)")
        try tmux.press("q")
    }
}

@Suite("PostgreSQL: TLS", .enabled(if: PostgresServer.available, "PostgreSQL is not installed (CI installs it)"))
struct PostgresTLSTests {
    /// Whether the store's own connection is encrypted, as the server sees it.
    private func encrypted(_ url: String) throws -> Bool {
        let store = try PostgresStore(url, domain: .empty, mode: .createIfNeeded)
        defer { store.close() }
        return try store.query { model in
            try model.scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")?.int == 1
        }
    }

    @Test("sslmode=require encrypts without checking the certificate; disable does not encrypt; prefer uses TLS when offered")
    func requireEncrypts() throws {
        let server = try PostgresServer.start()
        let url = try server.makeDatabase()
        #expect(try encrypted(url + "?sslmode=require"))
        #expect(try encrypted(url))
        #expect(try !encrypted(url + "?sslmode=disable"))
    }

    @Test("sslmode=verify-full refuses a certificate the system does not trust, saying it is TLS, and connects to nothing")
    func verifyFullRefusesAnUntrustedCertificate() throws {
        let pg = try PostgresWorkspace()
        for mode in ["verify-full", "verify-ca"] {
            let result = try CairnProcess.run(["status", "--db", pg.url + "?sslmode=\(mode)"], in: pg.workspace.url)
            #expect(result.status == 2, "\(mode): \(result.output)")
            #expect(result.output.contains("TLS failed: the server's certificate"), "\(mode): \(result.output)")
            #expect(result.output.contains("sslmode=require"), "\(mode): \(result.output)")
            #expect(!result.output.contains(pg.server.password))
        }
        #expect(try pg.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'events'") == 0)
    }
}
