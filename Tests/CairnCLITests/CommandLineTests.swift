import CairnDemo
import CairnStore
import Foundation
import GRDB
import Testing

/// Builds the small demo into the workspace's database in this process (faster than a child process).
func buildDemo(in workspace: Workspace) throws {
    let store = try EventStore(path: workspace.database, domain: DemoApplication.domain, mode: .createIfNeeded)
    _ = try DemoGenerator().build(into: store, size: .small) { _ in }
    try store.pool.close()
}

/// Reads one integer from the workspace's database.
func scalar(_ workspace: Workspace, _ sql: String) throws -> Int {
    try scalar(workspace, workspace.database, sql)
}

/// Reads one integer from the database at `path`.
func scalar(_ workspace: Workspace, _ path: String, _ sql: String) throws -> Int {
    var configuration = Configuration()
    configuration.readonly = true
    // A reader can meet the writer of another process mid-checkpoint: wait, as any reader would.
    configuration.busyMode = .timeout(10)
    let queue = try DatabaseQueue(path: path, configuration: configuration)
    defer { try? queue.close() }
    return try queue.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
}

@Suite("The cairn command line")
struct CommandLineTests {
    @Test("help documents the exit codes and every subcommand")
    func help() throws {
        let workspace = try Workspace()
        let result = try workspace.cairn("--help")
        #expect(result.status == 0)
        #expect(result.stdout.contains("EXIT CODES"))
        for command in ["init", "new", "status", "verify", "up", "skip", "unskip", "runs", "log", "unlock", "repair", "baseline", "demo"] {
            #expect(result.stdout.contains("  \(command)"), "help lists \(command)")
        }
    }

    @Test("usage errors exit 2 and say what is wrong")
    func usageErrors() throws {
        let workspace = try Workspace()
        let unknown = try workspace.cairn("up", "--frobnicate")
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("--frobnicate"))
        let both = try workspace.cairn("status", "--db", "x.sqlite", "--env", "prod")
        #expect(both.status == 2)
        #expect(both.stderr.contains("either --env NAME or --db PATH"))
        let nothing = try workspace.cairn("status")
        #expect(nothing.status == 2)
        #expect(nothing.stderr.contains("no database selected"))
    }

    @Test("a seed the user cannot read is counted as pending and refused by name with the reason, never left out of the count")
    func unreadableSeedIsCountedAndRefused() throws {
        let workspace = try Workspace()
        try buildDemo(in: workspace)
        try workspace.write("seeds/2026-06-01-secret.sql", """
            -- description: nothing
            -- @write incident:write:resolve
            SELECT json_object('incidentId', 'x', 'tenantId', 'acme') AS payload WHERE 0;
            """)
        // Another user than root (the tests run as root, who reads anything): the file is the owner's only.
        let seed = workspace.path("seeds/2026-06-01-secret.sql")
        chmod(seed, 0o600)
        chmod(workspace.url.path, 0o777)
        for suffix in ["", "-wal", "-shm"] { chmod(workspace.database + suffix, 0o666) }
        chmod(workspace.path("seeds"), 0o755)
        let before = databaseDigest(workspace)
        func asNobody(_ arguments: String...) throws -> CairnProcess.Result {
            try CairnProcess.runTool("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups",
                CairnProcess.binary.path] + arguments + ["--db", workspace.database, "--seeds", workspace.path("seeds")])
        }
        let verify = try asNobody("verify")
        #expect(verify.status == 2, "\(verify.output)")
        #expect(verify.output.contains("2026-06-01-secret.sql: cannot be read (Permission denied)"), "\(verify.output)")
        #expect(verify.output.contains("chmod a+r"), "\(verify.output)")
        #expect(verify.output.contains("1 problem in 1 pending migration"), "\(verify.output)")
        let status = try asNobody("status")
        #expect(status.output.contains("1 pending"), "\(status.output)")
        #expect(status.output.contains("cannot be read"), "\(status.output)")
        #expect(databaseDigest(workspace) == before)
        let up = try asNobody("up")
        #expect(up.status == 2, "\(up.output)")
        #expect(up.output.contains("1/1 pending"), "\(up.output)")
        #expect(!up.output.contains("0/0 pending"), "\(up.output)")
    }

    @Test("a missing database is a clear error with exit 2, and no file is created")
    func missingDatabase() throws {
        let workspace = try Workspace()
        let result = try workspace.cairn("status", "--db", workspace.database)
        #expect(result.status == 2)
        #expect(result.stderr.contains("no database at \(workspace.database)"))
        #expect(result.stderr.contains("cairn init"))
        #expect(!FileManager.default.fileExists(atPath: workspace.database))
    }

    @Test("the demo's seeds: up applies three, fails on the stream-tenant trap with exit 1, skip lets the next up finish")
    func demoStory() throws {
        let workspace = try Workspace()
        try workspace.copyRepositorySeeds()
        let demo = try workspace.cairn("demo", "--db", workspace.database, "--no-console")
        #expect(demo.status == 0, "\(demo.output)")
        #expect(demo.stdout.contains("admin@publicstatus.eu is Admin in acme and globex"))
        #expect(demo.stdout.contains("0 applied · 5 pending"))

        let up = try workspace.cairn("up", "--db", workspace.database)
        #expect(up.status == 1, "\(up.output)")
        #expect(up.stdout.contains("5/5 pending"))
        #expect(up.stdout.contains("dry-run ok — all referenced handlers registered"))
        #expect(up.stdout.contains("✓ 2026-05-20-fix-admin-roles"))
        #expect(up.stdout.contains("the stream lives in tenant acme, not globex"))
        #expect(up.stdout.contains("pass stream_tenant = 'acme'"))
        #expect(up.stderr.contains("run 1 failed (exit 1)"))

        let log = try workspace.cairn("log", "1", "--db", workspace.database)
        #expect(log.status == 0)
        #expect(log.stdout.contains("run 1 · migrate · cli · failed"))
        #expect(log.stdout.contains("✗ 2026-05-21-grant-responder-role failed at block 1"))
        #expect(log.stdout.contains("error: 2026-05-21-grant-responder-role failed"))

        let status = try workspace.cairn("status", "--db", workspace.database, "--json")
        let json = try JSONValue(parsing: status.stdout).objectValue ?? [:]
        let states = json["migrations"]?.arrayValue?.compactMap { $0.objectValue?["state"]?.stringValue }
        #expect(states == ["applied", "applied", "applied", "failed", "pending"])
        #expect(json["blocked"] == false)

        let refused = try workspace.cairn("skip", "2026-05-12-resolve-stale-low-incidents", "--reason", "x", "--db", workspace.database)
        #expect(refused.status == 2)
        let skip = try workspace.cairn("skip", "2026-05-21-grant-responder-role", "--reason", "stream tenant trap", "--db", workspace.database)
        #expect(skip.status == 0, "\(skip.output)")
        let second = try workspace.cairn("up", "--db", workspace.database)
        #expect(second.status == 0, "\(second.output)")
        #expect(second.stdout.contains("⤼ 2026-05-21-grant-responder-role skipped (override by"))
        #expect(second.stdout.contains("✓ 2026-06-02-open-status-page-review"))
        let third = try workspace.cairn("up", "--db", workspace.database)
        #expect(third.status == 0)
        #expect(third.stdout.contains("0/5 pending (1 skipped) — nothing to do"))
    }

    @Test("status --json prints exactly the documented keys")
    func statusJSONShape() throws {
        let workspace = try Workspace()
        try workspace.copyRepositorySeeds()
        try buildDemo(in: workspace)
        try workspace.cairn("up", "--db", workspace.database, "--to", "2026-05-20-fix-admin-roles")
        try workspace.cairn("skip", "2026-05-21-grant-responder-role", "--reason", "trap", "--db", workspace.database)
        let result = try workspace.cairn("status", "--json", "--db", workspace.database)
        #expect(result.status == 0)
        let object = try #require(try JSONValue(parsing: result.stdout).objectValue)
        #expect(Set(object.keys) == ["environment", "database", "blocked", "problems", "owedRebuilds", "migrations"])
        let list = object["migrations"]?.arrayValue ?? []
        let migrations = list.compactMap(\.objectValue)
        #expect(migrations.count == 5)
        let required: Set<String> = ["id", "state", "description", "checksum", "skippable", "outOfOrder"]
        for migration in migrations {
            #expect(required.isSubset(of: Set(migration.keys)))
            #expect(Set(migration.keys).isSubset(of: required.union(
                ["appliedAt", "checksumVersion", "baseline", "baselineReason", "repaired", "retired", "recovery", "skip"])))
            // The marker's fields come together, when it was applied.
            #expect((migration["appliedAt"] == nil) == (migration["checksumVersion"] == nil))
            #expect((migration["appliedAt"] == nil) == (migration["baseline"] == nil))
        }
        let skipped = try #require(migrations.first { $0["state"] == "skipped" })
        #expect(skipped["skip"] == .object(["source": "override", "reason": "trap"]))
        #expect(migrations.first?["appliedAt"]?.stringValue != nil)
    }

    @Test("drift blocks up and verify with exit 3; a bad seed fails validation with exit 2; nothing is written")
    func driftAndValidationExitCodes() throws {
        let workspace = try Workspace()
        try workspace.copyRepositorySeeds()
        try buildDemo(in: workspace)
        #expect(try workspace.cairn("up", "--db", workspace.database, "--to", "2026-05-12-resolve-stale-low-incidents").status == 0)
        let events = try scalar(workspace, "SELECT count(*) FROM events")

        try workspace.write("seeds/2026-05-30-typo.sql", """
            -- description: a typo
            -- @write tenant:write:update-member-role
            SELECT json_object('x', 1) AS payload;
            """)
        let invalid = try workspace.cairn("up", "--db", workspace.database)
        #expect(invalid.status == 2, "\(invalid.output)")
        #expect(invalid.stdout.contains("did you mean tenant:write:update-member-roles"))
        #expect(try workspace.cairn("verify", "--db", workspace.database).status == 2)
        try FileManager.default.removeItem(atPath: workspace.path("seeds/2026-05-30-typo.sql"))

        let applied = workspace.path("seeds/2026-05-01-create-status-tenant.sql")
        try (try String(contentsOfFile: applied, encoding: .utf8) + "\n-- an edit\n").write(toFile: applied, atomically: true, encoding: .utf8)
        let blocked = try workspace.cairn("up", "--db", workspace.database)
        #expect(blocked.status == 3, "\(blocked.output)")
        #expect(blocked.stdout.contains("changed after it was applied"))
        #expect(try workspace.cairn("verify", "--db", workspace.database).status == 3)
        let status = try workspace.cairn("status", "--db", workspace.database)
        #expect(status.stdout.contains("≠ 2026-05-01-create-status-tenant"))
        #expect(try scalar(workspace, "SELECT count(*) FROM events") == events)
    }

    @Test("init writes cairn.toml, the seeds folder and the database; new writes a dated template that verify accepts as a seed")
    func initAndNew() throws {
        let workspace = try Workspace()
        let initialised = try workspace.cairn("init")
        #expect(initialised.status == 0, "\(initialised.output)")
        #expect(FileManager.default.fileExists(atPath: workspace.path("cairn.toml")))
        #expect(FileManager.default.fileExists(atPath: workspace.path(".cairn/local.sqlite")))
        let status = try workspace.cairn("status")
        #expect(status.status == 0, "\(status.output)")
        #expect(status.stdout.hasPrefix("local · "))

        let created = try workspace.cairn("new", "fix-admin-roles", "--date", "2026-05-20")
        #expect(created.status == 0)
        #expect(FileManager.default.fileExists(atPath: workspace.path("seeds/2026-05-20-fix-admin-roles.sql")))
        let again = try workspace.cairn("new", "fix-admin-roles", "--date", "2026-05-20")
        #expect(again.status == 2)
        let bad = try workspace.cairn("new", "Fix_Roles")
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("kebab-case"))
        // The template names a placeholder handler: verify says so, with the file and line.
        let verify = try workspace.cairn("verify")
        #expect(verify.status == 2)
        #expect(verify.stdout.contains("seeds/2026-05-20-fix-admin-roles.sql:"))
        #expect(verify.stdout.contains("context:write:verb"))
    }

    @Test("init whose database cannot be created writes no cairn.toml, says why and exits non-zero")
    func initWithUnusableDatabaseWritesNothing() throws {
        let workspace = try Workspace()
        try workspace.write("notes.txt", "a file, not a folder\n")
        let result = try workspace.cairn("init", "--db", "notes.txt/events.sqlite")
        #expect(result.status != 0, "\(result.output)")
        #expect(result.stderr.contains("notes.txt"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: workspace.path("cairn.toml")), "\(result.output)")
    }

    @Test("the demo without its seeds folder refuses before building anything, and names --seeds")
    func demoWithoutSeedsBuildsNothing() throws {
        let workspace = try Workspace()
        try FileManager.default.removeItem(atPath: workspace.path("seeds"))
        let result = try workspace.cairn("demo", "--db", workspace.database, "--no-console")
        #expect(result.status == 2, "\(result.output)")
        #expect(result.stderr.contains("the demo's seeds folder seeds does not exist"), "\(result.output)")
        #expect(result.stderr.contains("--seeds DIR"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: workspace.database))
    }

    @Test("a dry-run clips a payload of 200,000 bytes on the terminal, says how long it is, and keeps it whole in --json")
    func dryRunClipsHugePayloads() throws {
        let workspace = try Workspace()
        #expect(try workspace.cairn("demo", "--db", workspace.database, "--no-console").status == 0)
        try workspace.write("seeds/2026-05-20-huge-name.sql", """
            -- description: a tenant with a name of 200,000 letters
            -- @write tenant:write:create
            SELECT json_object('tenantId', 't-huge', 'slug', 'huge', 'name', printf('%.200000c', 'x')) AS payload
            WHERE NOT EXISTS (SELECT 1 FROM tenants WHERE slug = 'huge');
            """)
        let human = try workspace.cairn("dry-run", "--db", workspace.database)
        #expect(human.status == 0, "\(human.output.prefix(2_000))")
        #expect(human.stdout.contains("bytes in all; `--json` has it whole)"))
        #expect(human.stdout.utf8.count < 12_000, "the terminal got \(human.stdout.utf8.count) bytes")
        let json = try workspace.cairn("dry-run", "--db", workspace.database, "--json")
        #expect(json.status == 0)
        #expect(json.stdout.contains(String(repeating: "x", count: 200_000)))
    }

    @Test("an unknown environment and bad TOML are configuration errors with exit 2")
    func configurationErrors() throws {
        let workspace = try Workspace()
        try workspace.write("cairn.toml", "[environments.staging]\ndatabase = \"staging.sqlite\"\n")
        let unknown = try workspace.cairn("status", "--env", "prod")
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no environment 'prod'"))
        #expect(unknown.stderr.contains("known: staging"))
        try workspace.write("cairn.toml", "[environments.staging\n")
        let bad = try workspace.cairn("status")
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("cairn.toml: is not valid TOML"))
        #expect(bad.stderr.contains("line 1"))
    }
}

@Suite("Reading commands leave the database as it was")
struct ReadOnlyCommandTests {
    @Test("status, verify, runs and log leave the file byte for byte, and work on a read-only file")
    func readingWritesNothing() throws {
        let workspace = try Workspace()
        try workspace.copyRepositorySeeds()
        try buildDemo(in: workspace)
        #expect(try workspace.cairn("up", "--db", workspace.database, "--to", "2026-05-12-resolve-stale-low-incidents").status == 0)
        let queue = try DatabaseQueue(path: workspace.database)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()
        let before = databaseDigest(workspace)
        for command in [["status"], ["status", "--json"], ["verify"], ["runs"], ["runs", "--json"], ["log"], ["log", "1"]] {
            let result = try CairnProcess.run(command + ["--db", workspace.database], in: workspace.url)
            #expect(result.status == 0, "\(command): \(result.output)")
            #expect(databaseDigest(workspace) == before, "\(command) changed the database")
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: workspace.database)
        let status = try workspace.cairn("status", "--db", workspace.database)
        #expect(status.status == 0, "\(status.output)")
        #expect(status.stdout.contains("2 applied · 3 pending"))
        let up = try workspace.cairn("up", "--db", workspace.database)
        #expect(up.status == 2)
        #expect(up.stderr.contains("the file is read-only (mode 444)"))
    }
}
