import CairnDemo
@testable import CairnRunner
import CairnStore
import Foundation
import GRDB
import Testing

@Suite("What blocks or refuses a run before it writes")
struct GuardTests {
    private func openIncident(_ id: String) -> String {
        """
        -- description: open incident \(id)
        -- skippable: true
        -- @write incident:write:open
        SELECT json_object('incidentId', '\(id)', 'tenantId', 'acme', 'title', 't', 'severity', 'low') AS payload
        WHERE NOT EXISTS (SELECT 1 FROM incidents WHERE id = '\(id)');
        """
    }

    @Test("checksum drift of an applied file blocks with exit 3 and writes nothing")
    func driftBlocks() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-06-01-first", openIncident("i-1"))
        try fixture.up()
        try fixture.seed("2026-06-01-first", openIncident("i-1") + "\n-- edited after it was applied\n")
        try fixture.seed("2026-06-02-second", openIncident("i-2"))
        let status = try fixture.runner().status()
        #expect(status.blocked)
        #expect(status.migrations.map(\.state) == [.drift, .pending])
        let before = try fixture.dataFingerprint()
        let error = #expect(throws: RunnerError.self) { try fixture.up() }
        #expect(error?.exitCode == 3)
        #expect(error?.summary.contains("2026-06-01-first.sql changed after it was applied") == true)
        #expect(try fixture.dataFingerprint() == before)
        let run = try #require(try fixture.runner().history.latestRun())
        #expect(run.status == .failed)
    }

    @Test("--allow-drift runs despite drift and is recorded in the run and the marker")
    func allowDriftIsRecorded() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-06-01-first", openIncident("i-1"))
        try fixture.up()
        try fixture.seed("2026-06-01-first", openIncident("i-1") + "\n-- edited\n")
        try fixture.seed("2026-06-02-second", openIncident("i-2"))
        let outcome = try fixture.up { $0.allowDrift = true }
        #expect(outcome.applied.map(\.id) == ["2026-06-02-second"])
        let run = try #require(try fixture.runner().history.run(outcome.runId!))
        #expect(run.options.contains("\"allowDrift\":\"true\""))
        #expect(try fixture.count("SELECT allow_drift FROM cairn_markers WHERE migration_id = '2026-06-02-second'") == 1)
        let lines = try fixture.runner().history.lines(run: outcome.runId!).map(\.message)
        #expect(lines.contains { $0.hasPrefix("--allow-drift: running despite drift:") })
    }

    @Test("a missing applied file blocks with exit 3 and writes nothing")
    func missingBlocks() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-06-01-first", openIncident("i-1"))
        try fixture.up()
        try fixture.removeSeed("2026-06-01-first")
        try fixture.seed("2026-06-02-second", openIncident("i-2"))
        let status = try fixture.runner().status()
        #expect(status.migrations.map(\.state) == [.missing, .pending])
        let before = try fixture.dataFingerprint()
        let error = #expect(throws: RunnerError.self) { try fixture.up() }
        #expect(error?.exitCode == 3)
        #expect(error?.summary.contains("2026-06-01-first was applied on") == true)
        #expect(try fixture.dataFingerprint() == before)
    }

    @Test("an out-of-order migration runs by default with a warning and blocks under --strict")
    func outOfOrder() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-06-05-later", openIncident("i-later"))
        try fixture.up()
        try fixture.seed("2026-06-01-earlier", openIncident("i-earlier"))
        let status = try fixture.runner().status()
        #expect(status.migrations.first { $0.id == "2026-06-01-earlier" }?.outOfOrder == true)
        let before = try fixture.dataFingerprint()
        let error = #expect(throws: RunnerError.self) { try fixture.up { $0.strict = true } }
        #expect(error?.exitCode == 3)
        #expect(error?.summary.contains("out of order: 2026-06-01-earlier") == true)
        #expect(try fixture.dataFingerprint() == before)
        let outcome = try fixture.up()
        #expect(outcome.applied.map(\.id) == ["2026-06-01-earlier"])
        let lines = try fixture.runner().history.lines(run: outcome.runId!).map(\.message)
        #expect(lines.contains { $0.hasPrefix("out of order: 2026-06-01-earlier") })
    }

    @Test("validation lists every unknown handler and every refused query, and writes nothing")
    func validationListsEveryProblem() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-06-01-typo", """
            -- description: a handler name with a typo
            -- @write tenant:write:update-member-role
            SELECT json_object('userId', 'u') AS payload;
            """)
        try fixture.seed("2026-06-02-writes", """
            -- description: tries to write
            -- @write incident:write:open
            DELETE FROM incidents;
            """)
        try fixture.seed("2026-06-03-two", """
            -- description: two problems in one file
            -- @write billing:write:charge
            SELECT json_object('x', 1) AS payload; DELETE FROM events;
            -- @write incident:write:open
            SELECT json_object('x', load_extension('/tmp/x.so')) AS payload;
            """)
        try fixture.seed("2026-06-04-fine", openIncident("i-fine"))
        let before = try fixture.dataFingerprint()
        let error = #expect(throws: RunnerError.self) { try fixture.up() }
        guard case .validationFailed(let problems, let run) = error else {
            Issue.record("expected a validation failure, got \(String(describing: error))")
            return
        }
        #expect(error?.exitCode == 2)
        let text = problems.map(\.description)
        #expect(problems.count == 5, "\(text)")
        #expect(text.contains { $0.contains("tenant:write:update-member-role") && $0.contains("did you mean tenant:write:update-member-roles") })
        #expect(text.contains { $0.contains("2026-06-02-writes.sql:2") && $0.contains("DELETE from incidents") })
        #expect(text.contains { $0.contains("billing:write:charge") })
        #expect(text.contains { $0.contains("only one statement is allowed") })
        #expect(text.contains { $0.contains("load_extension") })
        #expect(try fixture.dataFingerprint() == before)
        let lines = try fixture.runner().history.lines(run: run!).map(\.message)
        #expect(lines.filter { $0.hasPrefix("invalid:") }.count == 5)
    }

    @Test("a handler that does not accept the system role fails validation")
    func handlerMustAcceptSystem() throws {
        let fixture = try Fixture()
        var application = DemoApplication.application
        application.domain = Domain(
            handlers: DemoApplication.handlers + [ClosureHandler(QualifiedName(validated: "audit:write:note"), access: .roles(.admin)) { _, _ in }],
            projections: DemoApplication.projections)
        try fixture.seed("2026-06-01-note", """
            -- description: calls an admin-only handler
            -- @write audit:write:note
            SELECT json_object('x', 1) AS payload;
            """)
        let runner = MigrationRunner(application: application, store: fixture.store, seedsDirectory: fixture.seeds, processEnvironment: [:])
        let problems = try runner.validate()
        #expect(problems.count == 1)
        #expect(problems.first?.message.contains("does not accept the role 'system'") == true)
    }

    @Test("a seed file with a bad name is a validation problem naming the file")
    func badFileName() throws {
        let fixture = try Fixture()
        try fixture.seed("fix-roles", openIncident("i-x"))
        let error = #expect(throws: RunnerError.self) { try fixture.up() }
        #expect(error?.exitCode == 2)
        #expect(error?.summary.contains("fix-roles.sql") == true)
    }

    @Test("CAIRN_SKIP_<ID>=1 skips a skippable migration without a marker; the next run without it applies it")
    func skipByEnvironment() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-06-01-skip-me", openIncident("i-skip"))
        try fixture.seed("2026-06-02-after", openIncident("i-after"))
        let variable = MigrationID.skipVariable(for: "2026-06-01-skip-me")
        #expect(variable == "CAIRN_SKIP_2026_06_01_SKIP_ME")
        let outcome = try fixture.up(environment: [variable: "1"])
        #expect(outcome.applied.map(\.id) == ["2026-06-02-after"])
        #expect(outcome.skipped.map(\.id) == ["2026-06-01-skip-me"])
        #expect(try fixture.count("SELECT count(*) FROM cairn_markers WHERE migration_id = '2026-06-01-skip-me'") == 0)
        #expect(try fixture.runner(environment: [variable: "1"]).status().migrations.first?.state == .skipped)
        #expect(try fixture.runner().status().migrations.first?.state == .pending)
        let next = try fixture.up()
        #expect(next.applied.map(\.id) == ["2026-06-01-skip-me"])
    }

    @Test("CAIRN_SKIP_ values: 1, true, yes skip; 0, false, no and empty do not; anything else is a validation error; a variable naming no migration is warned about")
    func skipVariableValues() throws {
        let variable = MigrationID.skipVariable(for: "2026-06-01-skip-me")
        for value in ["1", "true", "YES", " yes "] {
            let fixture = try Fixture()
            try fixture.seed("2026-06-01-skip-me", openIncident("i-skip"))
            #expect(try fixture.runner(environment: [variable: value]).status().migrations.first?.state == .skipped, "\(value)")
            _ = try fixture.up(environment: [variable: value])
            #expect(try fixture.count("SELECT count(*) FROM cairn_markers") == 0, "\(value)")
        }
        for value in ["0", "false", "No", ""] {
            let fixture = try Fixture()
            try fixture.seed("2026-06-01-skip-me", openIncident("i-skip"))
            #expect(try fixture.up(environment: [variable: value]).applied.map(\.id) == ["2026-06-01-skip-me"], "\(value)")
        }
        for value in ["maybe", "2", "on", "yess"] {
            let fixture = try Fixture()
            try fixture.seed("2026-06-01-skip-me", openIncident("i-skip"))
            let before = try fixture.count("SELECT count(*) FROM events")
            let error = #expect(throws: RunnerError.self) { try fixture.up(environment: [variable: value]) }
            #expect(error?.exitCode == 2, "\(value)")
            #expect(error?.summary.contains("\(variable)=\(value) is not a skip value") == true, "\(String(describing: error?.summary))")
            #expect(try fixture.count("SELECT count(*) FROM events") == before)
        }
        let fixture = try Fixture()
        try fixture.seed("2026-06-01-skip-me", openIncident("i-skip"))
        let outcome = try fixture.up(environment: ["CAIRN_SKIP_2026_06_01_SKIP_MEE": "1"])
        #expect(outcome.applied.map(\.id) == ["2026-06-01-skip-me"])
        let lines = try fixture.runner().history.lines(run: try #require(outcome.runId)).map(\.message)
        #expect(lines.contains("CAIRN_SKIP_2026_06_01_SKIP_MEE names no migration here; it skips nothing"), "\(lines)")
    }

    @Test("a persisted override skips without a marker; unskip makes the next run retry")
    func skipByOverride() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-06-01-skip-me", openIncident("i-skip"))
        let override = try fixture.runner().skip("2026-06-01-skip-me", reason: "broken in staging", by: "ops@test")
        #expect(override.createdBy == "ops@test")
        let status = try fixture.runner().status().migrations.first
        #expect(status?.state == .skipped)
        #expect(status?.skip?.source == .override)
        #expect(status?.skip?.reason == "broken in staging")
        try fixture.seed("2026-06-02-after", openIncident("i-after"))
        let outcome = try fixture.up()
        #expect(outcome.skipped.map(\.id) == ["2026-06-01-skip-me"])
        #expect(outcome.applied.map(\.id) == ["2026-06-02-after"])
        #expect(try fixture.count("SELECT count(*) FROM cairn_markers WHERE migration_id = '2026-06-01-skip-me'") == 0)
        try fixture.runner().unskip("2026-06-01-skip-me")
        #expect(try fixture.up().applied.map(\.id) == ["2026-06-01-skip-me"])
    }

    @Test("an expired override no longer skips")
    func expiredOverride() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-06-01-skip-me", openIncident("i-skip"))
        try fixture.runner().skip("2026-06-01-skip-me", reason: "for a moment", until: Date().addingTimeInterval(0.2))
        #expect(try fixture.runner().status().migrations.first?.state == .skipped)
        Thread.sleep(forTimeInterval: 0.3)
        #expect(try fixture.runner().status().migrations.first?.state == .pending)
    }

    @Test("skipping a migration that is not skippable is refused, by command and by variable")
    func nonSkippableRefused() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-06-01-must-run", """
            -- description: not skippable
            -- @write incident:write:open
            SELECT json_object('incidentId', 'i-m', 'tenantId', 'acme', 'title', 't', 'severity', 'low') AS payload
            WHERE NOT EXISTS (SELECT 1 FROM incidents WHERE id = 'i-m');
            """)
        let error = #expect(throws: RunnerError.self) { try fixture.runner().skip("2026-06-01-must-run", reason: "no") }
        #expect(error?.exitCode == 2)
        #expect(error?.summary == "2026-06-01-must-run is not skippable")
        let before = try fixture.dataFingerprint()
        let variable = MigrationID.skipVariable(for: "2026-06-01-must-run")
        let refused = #expect(throws: RunnerError.self) { try fixture.up(environment: [variable: "1"]) }
        #expect(refused?.exitCode == 2)
        #expect(refused?.summary.contains("is not skippable") == true)
        #expect(try fixture.dataFingerprint() == before)
    }

    @Test("skip refuses unknown and applied migrations and an empty reason")
    func skipRefusals() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-06-01-applied", openIncident("i-a"))
        try fixture.up()
        try fixture.seed("2026-06-02-pending", openIncident("i-p"))
        let unknown = #expect(throws: RunnerError.self) { try fixture.runner().skip("2026-06-02-pendin", reason: "x") }
        #expect(unknown?.summary.contains("did you mean '2026-06-02-pending'") == true)
        #expect(throws: RunnerError.self) { try fixture.runner().skip("2026-06-01-applied", reason: "x") }
        #expect(throws: RunnerError.self) { try fixture.runner().skip("2026-06-02-pending", reason: "  ") }
        #expect(throws: RunnerError.self) { try fixture.runner().unskip("2026-06-02-pending") }
    }
}
