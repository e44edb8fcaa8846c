import CairnRunner
import CairnStore
import Foundation
import LibraryLoans
import Testing

/// The library's seeds and handlers against a real SQLite file, through Cairn's boot and runner.
@Suite("library loans")
struct LibraryLoansTests {
    /// A fresh folder with a copy of the repository's seeds.
    struct Sandbox {
        let folder: URL
        var database: String { folder.appendingPathComponent("data/library.sqlite").path }
        var seeds: String { folder.appendingPathComponent("seeds").path }

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("library-\(UUID().uuidString)")
            let repositorySeeds = URL(fileURLWithPath: #filePath)
                .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("seeds")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: repositorySeeds, to: folder.appendingPathComponent("seeds"))
        }
    }

    @Test("a boot creates the data folder, applies both seeds once, and a second boot has nothing to do")
    func bootAppliesTheSeedsOnce() async throws {
        let sandbox = try Sandbox()
        // The sample needs the tables: open the store, fill it, then boot as the application would.
        let store = try Cairn.open(LibraryApplication.application, database: sandbox.database)
        try await LibrarySample.fill(store)
        let outcome = try await Cairn.boot(
            LibraryApplication.application, database: sandbox.database, seeds: sandbox.seeds, logger: .cairnQuiet)
        #expect(outcome.applied.count == 2)
        let (untrimmed, overdue, out) = try await store.query { model in
            (try model.scalar("SELECT count(*) FROM books WHERE title <> trim(title)")?.int,
             try model.scalar("SELECT count(*) FROM loans WHERE due_on < '2026-01-01'")?.int,
             try model.scalar("SELECT count(*) FROM loans")?.int)
        }
        #expect(untrimmed == 0)
        #expect(overdue == 0)
        #expect(out == 100)
        let again = try await Cairn.boot(
            LibraryApplication.application, database: sandbox.database, seeds: sandbox.seeds, logger: .cairnQuiet)
        #expect(again.applied.isEmpty && again.runId == nil)
    }

    @Test("a dry-run of the seeds shows the events and row changes the boot then writes")
    func dryRunMatchesWhatTheBootWrites() async throws {
        let sandbox = try Sandbox()
        let store = try Cairn.open(LibraryApplication.application, database: sandbox.database)
        try await LibrarySample.fill(store)
        // processEnvironment: [:] keeps CAIRN_SKIP_… variables of the test's own environment out.
        let runner = MigrationRunner(
            application: LibraryApplication.application, store: store, seedsDirectory: sandbox.seeds, processEnvironment: [:])
        let report = try runner.dryRun(logger: .cairnQuiet)
        #expect(report.clean)
        let trim = try #require(report.migrations.first { $0.id == "2026-11-02-trim-book-titles" })
        #expect(trim.eventTypes == ["book.retitled": 40])
        #expect(trim.tables["books"] == ChangeTally(updated: 40))
        let overdue = try #require(report.migrations.first { $0.id == "2026-11-10-return-overdue-books" })
        #expect(overdue.eventTypes == ["book.returned": 100])
        #expect(overdue.tables["loans"] == ChangeTally(deleted: 100))
        let outcome = try runner.migrate(logger: .cairnQuiet)
        #expect(outcome.applied.count == 2)
        let retitled = try await store.query { model in
            try model.scalar("SELECT count(*) FROM events WHERE type = 'book.retitled'")?.int
        }
        #expect(retitled == 40)
    }

    @Test("a handler's refusal fails the boot with a typed cause naming the field, and nothing of that seed lands")
    func refusedRowFailsTheBootWithATypedCause() async throws {
        let sandbox = try Sandbox()
        try """
            -- description: register a member without an e-mail address

            -- @write library:write:register-member
            SELECT json_object('memberId', 'm-broken', 'name', 'Broken', 'email', 'nobody') AS payload;
            """.write(toFile: sandbox.seeds + "/2026-11-20-broken-member.sql", atomically: true, encoding: .utf8)
        do {
            try await Cairn.boot(LibraryApplication.application, database: sandbox.database, seeds: sandbox.seeds,
                                 logger: .cairnQuiet)
            Issue.record("the boot should have failed")
        } catch RunnerError.migrationFailed(let failure, _) {
            let rejection = try #require(failure.cause as? HandlerRejection)
            #expect(rejection.field == "email")
            #expect(failure.exitCode == CairnExit.failed)
        }
        let store = try Cairn.open(LibraryApplication.application, database: sandbox.database)
        let broken = try await store.query { model in try model.exists("SELECT 1 FROM members WHERE id = 'm-broken'") }
        #expect(!broken)
    }

    @Test("a payload of the wrong shape is refused by the handler's Decodable type, naming the field")
    func decodingNamesTheField() async throws {
        let sandbox = try Sandbox()
        let store = try Cairn.open(LibraryApplication.application, database: sandbox.database)
        let desk = Actor(role: LibraryApplication.librarian, id: "desk")
        await #expect(throws: HandlerRejection(field: "email", reason: "is required")) {
            try await store.execute(Command(
                QualifiedName(validated: "library:write:register-member"),
                payload: ["memberId": "m1", "name": "No Mail"], actor: desk))
        }
        await #expect(throws: HandlerRejection(field: "name", reason: "should be a string")) {
            try await store.execute(Command(
                QualifiedName(validated: "library:write:register-member"),
                payload: ["memberId": "m1", "name": 42, "email": "a@b.example"], actor: desk))
        }
    }
}
