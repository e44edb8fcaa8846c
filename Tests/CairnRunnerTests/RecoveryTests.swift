import CairnDemo
@testable import CairnRunner
@testable import CairnStore
import Foundation
import GRDB
import Testing

/// A seed that writes nothing and applies at once: the applied migration the recovery tests edit and delete.
func quietSeed(_ description: String, comment: String = "") -> String {
    """
    -- description: \(description)
    \(comment)
    -- @write incident:write:open
    SELECT json_object('incidentId', 'i-none', 'tenantId', 'acme', 'title', 't', 'severity', 'low') AS payload WHERE 0;
    """
}

extension Fixture {
    /// Everything a refused recovery verb must leave as it was: the data, the markers and the runs with their logs.
    func recordFingerprint() throws -> String {
        try dataFingerprint() + "\nruns \(try count("SELECT count(*) FROM cairn_runs"))"
            + " log \(try count("SELECT count(*) FROM cairn_run_log"))"
    }

    /// Three applied migrations: the first writes events, the other two nothing.
    func threeApplied() throws {
        try seed("2026-05-20-fix-admin-roles", fixAdminRoles)
        try seed("2026-05-21-first-quiet", quietSeed("the first quiet one"))
        try seed("2026-05-22-second-quiet", quietSeed("the second quiet one"))
        try up()
    }
}


/// Records an issue unless `error` is a refusal (exit 2) whose summary contains `text`.
func expect(error: RunnerError?, says text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(error?.exitCode == CairnExit.usage, sourceLocation: sourceLocation)
    #expect(error?.summary.contains(text) == true, "\(error?.summary ?? "no error")", sourceLocation: sourceLocation)
}

/// The runner's refusal of `body`, which must be `RunnerError.refused` or `.unknownMigration` (exit 2).
func refusal(_ body: () throws -> Void) -> RunnerError? {
    do {
        try body()
        return nil
    } catch let error as RunnerError {
        return error
    } catch {
        Issue.record("not a runner error: \(error)")
        return nil
    }
}

@Suite("Recovery verbs: repair, retire, baseline")
struct RecoveryTests {
    @Test("repair approves an edited applied file: applied again, the marker keeps the old checksum, who, when and why")
    func repairApprovesAnEditedFile() throws {
        let fixture = try Fixture()
        try fixture.threeApplied()
        let runner = fixture.runner()
        let before = try #require(try runner.status().migrations.first { $0.id == "2026-05-21-first-quiet" }?.marker)
        try fixture.seed("2026-05-21-first-quiet", quietSeed("the first quiet one, typo fixed", comment: "-- a comment"))
        let drifted = try runner.status()
        #expect(drifted.migrations.first { $0.id == "2026-05-21-first-quiet" }?.state == .drift)
        #expect(drifted.blocked)
        #expect(drifted.blockers.first?.contains("cairn repair 2026-05-21-first-quiet") == true)
        let events = try fixture.count("SELECT count(*) FROM events")

        let outcome = try runner.repair("2026-05-21-first-quiet", reason: "  fixed a typo in the description  ", logger: quietLogger)

        #expect(outcome.action == .repaired)
        let report = try runner.status()
        let status = try #require(report.migrations.first { $0.id == "2026-05-21-first-quiet" })
        #expect(status.state == .applied)
        #expect(!report.blocked)
        let marker = try #require(status.marker)
        #expect(marker.previousChecksum == before.checksum)
        #expect(marker.checksum == status.migration?.checksum && marker.checksum != before.checksum)
        #expect(marker.checksumVersion == Checksum.currentVersion)
        #expect(marker.repairReason == "fixed a typo in the description")
        #expect(marker.repairedHost == runner.identity.host && marker.repairedUser == runner.identity.user)
        #expect(marker.repairedAt != nil && marker.repairRunId == outcome.runId)
        #expect(marker.appliedAt == before.appliedAt && marker.runId == before.runId, "the history of the apply is kept")
        #expect(marker.description == "the first quiet one, typo fixed")
        #expect(status.recoveryNote?.hasPrefix("repaired ") == true)
        #expect(status.recoveryNote?.contains(": fixed a typo in the description") == true)
        #expect(try fixture.count("SELECT count(*) FROM events") == events, "a repair runs nothing")

        let run = try #require(try runner.history.run(outcome.runId))
        #expect(run.kind == .repair && run.status == .succeeded)
        let options = try #require(try JSONValue(parsing: run.options).objectValue)
        #expect(options["reason"] == .string("fixed a typo in the description"))
        #expect(options["previousChecksum"] == .string(before.checksum))
        #expect(options["action"] == .string("repaired"))
        let log = try runner.history.lines(run: outcome.runId).map(\.message)
        #expect(log.contains { $0.hasPrefix("✓ repaired 2026-05-21-first-quiet") })
        // Unblocked: the next migration runs.
        try fixture.seed("2026-05-23-later", quietSeed("a later one"))
        #expect(try fixture.up().applied.map(\.id) == ["2026-05-23-later"])
    }

    @Test("repair of an applied migration whose file is gone retires it: retired, never blocking, history kept")
    func repairRetiresADeletedFile() throws {
        let fixture = try Fixture()
        try fixture.threeApplied()
        let runner = fixture.runner()
        try fixture.removeSeed("2026-05-20-fix-admin-roles")
        #expect(try runner.status().migrations.first { $0.id == "2026-05-20-fix-admin-roles" }?.state == .missing)
        #expect(throws: RunnerError.self) { try fixture.up() }

        let outcome = try runner.repair("2026-05-20-fix-admin-roles", reason: "folded into the tenant setup", logger: quietLogger)

        #expect(outcome.action == .retired)
        let report = try runner.status()
        let status = try #require(report.migrations.first { $0.id == "2026-05-20-fix-admin-roles" })
        #expect(status.state == .retired)
        #expect(!report.blocked && report.blockers.isEmpty)
        #expect(status.marker?.retired == true && status.marker?.eventsWritten == 2, "its history is kept")
        #expect(status.marker?.previousChecksum == nil)
        #expect(status.recoveryNote?.hasPrefix("retired ") == true)
        #expect(report.count(.retired) == 1 && report.count(.missing) == 0)
        #expect(try fixture.count("SELECT count(*) FROM events WHERE migration_id = '2026-05-20-fix-admin-roles'") == 2)
        try fixture.seed("2026-05-23-later", quietSeed("a later one"))
        #expect(try fixture.up().applied.map(\.id) == ["2026-05-23-later"], "a retired migration never blocks")
        // Reverting past it is refused by name: its @down is gone with the file.
        let error = refusal { try runner.revert(to: "2026-05-19-none", options: MigrateOptions(), logger: quietLogger) }
        #expect(error?.exitCode == CairnExit.usage)
    }

    @Test("a retired migration whose file comes back unchanged is applied again; changed, it is drift")
    func retiredFileComesBack() throws {
        let fixture = try Fixture()
        try fixture.threeApplied()
        let runner = fixture.runner()
        try fixture.removeSeed("2026-05-21-first-quiet")
        try runner.repair("2026-05-21-first-quiet", reason: "deleted by mistake, it turns out", logger: quietLogger)
        try fixture.seed("2026-05-21-first-quiet", quietSeed("the first quiet one"))
        let back = try #require(try runner.status().migrations.first { $0.id == "2026-05-21-first-quiet" })
        #expect(back.state == .applied)
        #expect(back.problems.contains { $0.contains("its file is back") })
        try fixture.seed("2026-05-21-first-quiet", quietSeed("something else now"))
        #expect(try runner.status().migrations.first { $0.id == "2026-05-21-first-quiet" }?.state == .drift)
    }

    @Test("repair refuses, writing nothing: no reason, a blank or multi-line one, an unknown id, an unchanged, pending or retired migration")
    func repairRefusals() throws {
        let fixture = try Fixture()
        try fixture.threeApplied()
        try fixture.seed("2026-05-24-pending", quietSeed("not applied yet"))
        try fixture.seed("2026-05-22-second-quiet", quietSeed("edited"))
        try fixture.removeSeed("2026-05-21-first-quiet")
        let runner = fixture.runner()
        try runner.repair("2026-05-21-first-quiet", reason: "gone", logger: quietLogger)
        let before = try fixture.recordFingerprint()
        let cases: [(String, String, String)] = [
            ("2026-05-22-second-quiet", "", "needs a reason"),
            ("2026-05-22-second-quiet", " \t\n ", "needs a reason"),
            ("2026-05-22-second-quiet", "line one\nline two", "control character (U+000A)"),
            ("2026-05-22-second-quiet", "bell\u{7}", "control character (U+0007)"),
            ("2026-05-22-second-quiet", "\u{200F}\u{2060}\u{FEFF}\u{AD}", "only invisible characters"),
            ("2026-05-22-second-quiet", "\u{3164}\u{2800}", "only invisible characters"),
            ("2026-05-22-second-quiet", "\u{301}\u{34F}", "only invisible characters"),
            ("2026-05-22-second-quiet", "\u{FFFC}", "only invisible characters"),
            ("2026-05-22-second-quiet", "a" + String(repeating: "\u{301}", count: 5_000), "at most 500 are kept"),
            ("2026-05-22-second-quiet", String(repeating: "x", count: 501), "501 characters long"),
            ("2026-05-22-secnd-quiet", "typo in the id", "did you mean '2026-05-22-second-quiet'"),
            ("nothing-like-it", "unknown", "no migration 'nothing-like-it'"),
            ("2026-05-20-fix-admin-roles", "unchanged", "neither drifted nor missing"),
            ("2026-05-24-pending", "pending", "is pending, not applied"),
            ("2026-05-21-first-quiet", "again", "already retired"),
        ]
        for (id, reason, expected) in cases {
            let error = refusal { try runner.repair(id, reason: reason, logger: quietLogger) }
            #expect(error?.exitCode == CairnExit.usage, "\(id) / \(reason.debugDescription)")
            #expect(error?.summary.contains(expected) == true, "\(id): \(error?.summary ?? "no error")")
            #expect(error?.remedy?.isEmpty == false)
            #expect(throws: RunnerError.self) { _ = try runner.checkRepair(id, reason: reason) }
        }
        #expect(try fixture.recordFingerprint() == before)
    }

    @Test("a repair of a retired migration whose file came back edited clears the retirement: deleted again, it blocks")
    func repairAfterRetireClearsIt() throws {
        let fixture = try Fixture()
        try fixture.threeApplied()
        let runner = fixture.runner()
        try fixture.removeSeed("2026-05-21-first-quiet")
        try runner.repair("2026-05-21-first-quiet", reason: "gone", logger: quietLogger)
        try fixture.seed("2026-05-21-first-quiet", quietSeed("back, and edited"))
        try runner.repair("2026-05-21-first-quiet", reason: "it is back on purpose", logger: quietLogger)
        let status = try #require(try runner.status().migrations.first { $0.id == "2026-05-21-first-quiet" })
        #expect(status.state == .applied && status.marker?.retired == false)
        #expect(status.recoveryNote?.hasPrefix("repaired ") == true)
        try fixture.removeSeed("2026-05-21-first-quiet")
        #expect(try runner.status().migrations.first { $0.id == "2026-05-21-first-quiet" }?.state == .missing)
    }

    @Test("a retired migration whose file came back unchanged can be repaired: the retirement ends, deleted again it blocks")
    func repairEndsARetirementWhenTheFileIsBack() throws {
        let fixture = try Fixture()
        try fixture.threeApplied()
        let runner = fixture.runner()
        try fixture.removeSeed("2026-05-21-first-quiet")
        try runner.repair("2026-05-21-first-quiet", reason: "gone", logger: quietLogger)
        try fixture.seed("2026-05-21-first-quiet", quietSeed("the first quiet one"))
        let outcome = try runner.repair("2026-05-21-first-quiet", reason: "back as it was", logger: quietLogger)
        #expect(outcome.action == .repaired && outcome.marker.retired == false)
        try fixture.removeSeed("2026-05-21-first-quiet")
        #expect(try runner.status().migrations.first { $0.id == "2026-05-21-first-quiet" }?.state == .missing)
    }

    @Test("a repair that expects what the operator saw refuses, writing nothing, when the state or the file changed since")
    func repairRefusesWhatTheOperatorDidNotSee() throws {
        let fixture = try Fixture()
        try fixture.threeApplied()
        let runner = fixture.runner()
        try fixture.seed("2026-05-21-first-quiet", quietSeed("edited once"))
        let seen = try #require(try runner.status().migrations.first { $0.id == "2026-05-21-first-quiet" })
        try fixture.seed("2026-05-21-first-quiet", quietSeed("edited twice"))
        let before = try fixture.recordFingerprint()
        let edited = refusal {
            try runner.repair("2026-05-21-first-quiet", reason: "typo", expecting: (.repaired, seen.checksum), logger: quietLogger)
        }
        expect(error: edited, says: "changed after the confirmation was opened: it would now be repaired with another checksum")
        try fixture.removeSeed("2026-05-21-first-quiet")
        let gone = refusal {
            try runner.repair("2026-05-21-first-quiet", reason: "typo", expecting: (.repaired, seen.checksum), logger: quietLogger)
        }
        expect(error: gone, says: "it would now be retired, not repaired")
        #expect(try fixture.recordFingerprint() == before)
    }

    @Test("retire refuses when the seeds folder holds none of the applied files: the wrong folder, not a deletion")
    func retireRefusesTheWrongSeedsFolder() throws {
        let fixture = try Fixture()
        try fixture.threeApplied()
        let empty = try fixture.directory.write("elsewhere/README", "not seeds")
        let runner = MigrationRunner(
            application: DemoApplication.application, store: fixture.store,
            seedsDirectory: URL(fileURLWithPath: empty).deletingLastPathComponent().path, environmentName: "test",
            processEnvironment: [:])
        let before = try fixture.recordFingerprint()
        let error = refusal { try runner.repair("2026-05-21-first-quiet", reason: "gone", logger: quietLogger) }
        #expect(error?.exitCode == CairnExit.usage)
        #expect(error?.summary.contains("looks like the wrong seeds folder") == true, "\(error?.summary ?? "")")
        #expect(try fixture.recordFingerprint() == before)
    }

    @Test("repair refuses an edited file that does not parse now: approving it would hide the problem")
    func repairRefusesABrokenFile() throws {
        let fixture = try Fixture()
        try fixture.threeApplied()
        try fixture.seed("2026-05-21-first-quiet", "-- description: broken now\n-- skipable: true\n")
        let before = try fixture.recordFingerprint()
        let error = refusal { try fixture.runner().repair("2026-05-21-first-quiet", reason: "edited", logger: quietLogger) }
        #expect(error?.exitCode == CairnExit.usage)
        #expect(error?.summary.contains("does not parse now") == true, "\(error?.summary ?? "")")
        #expect(try fixture.recordFingerprint() == before)
    }

    @Test("baseline marks every migration up to ID applied without running it; later ones stay pending and then run")
    func baselineAdoptsAnEnvironment() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-05-20-fix-admin-roles", fixAdminRoles)
        try fixture.seed("2026-05-21-first-quiet", quietSeed("the first quiet one"))
        try fixture.seed("2026-05-22-second-quiet", quietSeed("the second quiet one"))
        let runner = fixture.runner()
        let events = try fixture.count("SELECT count(*) FROM events")

        let outcome = try runner.baseline(through: "2026-05-21-first-quiet", reason: "migrated by hand in May", logger: quietLogger)

        #expect(outcome.migrations == ["2026-05-20-fix-admin-roles", "2026-05-21-first-quiet"])
        #expect(outcome.pending == 1)
        #expect(try fixture.count("SELECT count(*) FROM events") == events, "a baseline writes no event")
        let report = try runner.status()
        for id in outcome.migrations {
            let status = try #require(report.migrations.first { $0.id == id })
            #expect(status.state == .applied)
            #expect(status.marker?.baseline == true && status.marker?.baselineReason == "migrated by hand in May")
            #expect(status.marker?.eventsWritten == 0 && status.marker?.runId == outcome.runId)
            #expect(status.recoveryNote?.hasPrefix("baseline ") == true)
        }
        #expect(report.migrations.first { $0.id == "2026-05-22-second-quiet" }?.state == .pending)
        let run = try #require(try runner.history.run(outcome.runId))
        #expect(run.kind == .baseline && run.status == .succeeded)
        #expect(try JSONValue(parsing: run.options).objectValue?["reason"] == .string("migrated by hand in May"))
        // The admin roles were not fixed by the baseline, and up does not fix them either: it only runs what follows.
        #expect(try fixture.up().applied.map(\.id) == ["2026-05-22-second-quiet"])
        #expect(try fixture.count("SELECT count(*) FROM events WHERE migration_id = '2026-05-20-fix-admin-roles'") == 0)
    }

    @Test("baseline refuses, writing nothing: a migration already applied, an unknown id, no reason, a file that does not parse")
    func baselineRefusals() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-05-20-fix-admin-roles", fixAdminRoles)
        try fixture.seed("2026-05-21-broken", "-- description: broken\n-- @write nosuch\n")
        try fixture.seed("2026-05-22-second-quiet", quietSeed("the second quiet one"))
        let runner = fixture.runner()
        var before = try fixture.recordFingerprint()
        for (id, reason, expected) in [
            ("2026-05-22-second-quiet", "", "needs a reason"),
            ("2026-05-22-secnd-quiet", "adopted", "did you mean"),
            ("2026-05-22-second-quiet", "adopted", "cannot baseline: 2026-05-21-broken (does not parse"),
        ] {
            let error = refusal { try runner.baseline(through: id, reason: reason, logger: quietLogger) }
            #expect(error?.exitCode == CairnExit.usage)
            #expect(error?.summary.contains(expected) == true, "\(error?.summary ?? "no error")")
        }
        #expect(try fixture.recordFingerprint() == before)
        try fixture.removeSeed("2026-05-21-broken")
        try fixture.up { $0.step = true }
        before = try fixture.recordFingerprint()
        for id in ["2026-05-20-fix-admin-roles", "2026-05-22-second-quiet"] {
            let error = refusal { try runner.baseline(through: id, reason: "adopted", logger: quietLogger) }
            #expect(error?.exitCode == CairnExit.usage)
            #expect(error?.summary.contains("already has 1 applied migration (the newest: 2026-05-20-fix-admin-roles") == true,
                    "\(error?.summary ?? "no error")")
        }
        #expect(try fixture.recordFingerprint() == before)
    }

    @Test("every marker stores its checksum's normalisation version; one taken by a newer Cairn is not called drift")
    func checksumNormalisationVersion() throws {
        let fixture = try Fixture()
        try fixture.threeApplied()
        #expect(try fixture.count("SELECT count(*) FROM cairn_markers WHERE checksum_version = \(Checksum.currentVersion)") == 3)
        // A checkout that turns \n into \r\n and adds a byte-order mark is the same file under version 1.
        let text = "\u{FEFF}" + quietSeed("the first quiet one").replacingOccurrences(of: "\n", with: "\r\n")
        try fixture.seed("2026-05-21-first-quiet", text)
        #expect(try fixture.runner().status().migrations.first { $0.id == "2026-05-21-first-quiet" }?.state == .applied)
        // A newer Cairn normalising another way wrote this marker: its checksum cannot be compared here.
        try fixture.store.pool.write { db in
            try db.execute(sql: "UPDATE cairn_markers SET checksum = 'from-a-newer-cairn', checksum_version = 9 WHERE migration_id = '2026-05-22-second-quiet'")
        }
        let report = try fixture.runner().status()
        let status = try #require(report.migrations.first { $0.id == "2026-05-22-second-quiet" })
        #expect(status.state == .applied)
        #expect(!report.blocked)
        #expect(report.problems.contains { $0.contains("normalisation v9, newer than this Cairn's v1") && $0.contains("upgrade cairn") })
        // The same checksum under this build's version would be drift.
        try fixture.store.pool.write { db in
            try db.execute(sql: "UPDATE cairn_markers SET checksum_version = 1 WHERE migration_id = '2026-05-22-second-quiet'")
        }
        #expect(try fixture.runner().status().migrations.first { $0.id == "2026-05-22-second-quiet" }?.state == .drift)
        // A version no Cairn writes (0, negative) cannot vouch for the file: drift, which repair may approve.
        for version in [0, -1] {
            try fixture.store.pool.write { db in
                try db.execute(sql: "UPDATE cairn_markers SET checksum_version = ? WHERE migration_id = '2026-05-21-first-quiet'",
                               arguments: [version])
            }
            let damaged = try fixture.runner().status()
            #expect(damaged.migrations.first { $0.id == "2026-05-21-first-quiet" }?.state == .drift)
            #expect(damaged.blockers.contains { $0.contains("v\(version), which no Cairn writes") })
        }
        let repaired = try fixture.runner().repair("2026-05-21-first-quiet", reason: "marker edited by hand", logger: quietLogger)
        #expect(repaired.marker.checksumVersion == Checksum.currentVersion && repaired.marker.previousChecksumVersion == -1)
    }

    @Test("the user recorded falls back to the account of the process's uid, with control characters made visible")
    func userFallsBackToTheAccount() {
        #expect(ProcessIdentity.userName([:]) == String(cString: getpwuid(getuid())!.pointee.pw_name))
        #expect(ProcessIdentity.userName(["USER": "evil\nline"]) == "evil^Jline")
        #expect(ProcessIdentity.userName(["LOGNAME": "ops"]) == "ops")
        #expect(ProcessIdentity.userName(["USER": "", "LOGNAME": "bob"]) == "bob")
        #expect(ProcessIdentity.userName(["USER": "   ", "LOGNAME": "bob"]) == "bob")
        #expect(ProcessIdentity.userName(["USER": String(repeating: "u", count: 5_000)])?.count == 256)
    }

    @Test("a store of the previous schema is upgraded in place: its markers get version 1 and stay applied")
    func upgradeKeepsMarkersApplied() throws {
        let fixture = try Fixture()
        try fixture.threeApplied()
        let columns = [
            "checksum_version", "baseline", "baseline_reason", "retired", "previous_checksum", "previous_checksum_version",
            "repaired_at", "repaired_user", "repaired_host", "repair_reason", "repair_run_id",
        ]
        try fixture.store.pool.write { db in
            for column in columns { try db.execute(sql: "ALTER TABLE cairn_markers DROP COLUMN \(column)") }
            try db.execute(sql: "UPDATE cairn_meta SET value = '2' WHERE key = 'schema_version'")
        }
        try fixture.store.pool.close()
        let store = try EventStore(path: fixture.directory.path("events.sqlite"), domain: DemoApplication.domain, mode: .existing)
        let runner = MigrationRunner(
            application: DemoApplication.application, store: store, seedsDirectory: fixture.seeds, environmentName: "test",
            processEnvironment: [:])
        let report = try runner.status()
        #expect(report.count(.applied) == 3 && !report.blocked)
        #expect(report.migrations.allSatisfy { $0.marker?.checksumVersion == 1 && $0.marker?.baseline == false })
    }
}
