import CairnDemo
import CairnRunner
import CairnStore
import Foundation
import Logging
import Testing

/// Collects log messages in memory.
final class LogCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []

    var lines: [String] { lock.withLock { messages } }

    func append(_ message: String) { lock.withLock { messages.append(message) } }

    var logger: Logger {
        Logger(label: "cairn") { _ in Handler(collector: self) }
    }

    struct Handler: LogHandler {
        let collector: LogCollector
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { collector.append("\(event.message)") }
    }
}

@Suite("Boot entry point")
struct BootTests {
    @Test("boot creates the database, applies pending seeds and logs in the documented shape; the next boot does nothing")
    func bootLogsInShape() throws {
        let directory = try TemporaryDirectory()
        try directory.write("seeds/2026-05-20-fix-admin-roles.sql", fixAdminRoles)
        let database = directory.path("app.sqlite")
        // The application's own data, written before the first boot.
        let store = try EventStore(path: database, domain: DemoApplication.domain, mode: .createIfNeeded)
        _ = try DemoGenerator().build(into: store, size: .small) { _ in }

        let collector = LogCollector()
        let outcome = try Cairn.boot(
            DemoApplication.application, database: database, seeds: directory.path("seeds"), logger: collector.logger)
        #expect(outcome.applied.map(\.id) == ["2026-05-20-fix-admin-roles"])
        let lines = collector.lines
        #expect(lines.count == 4, "\(lines)")
        #expect(lines[0] == "1/1 pending")
        #expect(lines[1] == "dry-run ok — all referenced handlers registered")
        #expect(lines[2].range(of: #"^✓ 2026-05-20-fix-admin-roles \(\d+ ms, 2 events\) — add the TenantAdmin role to admin@publicstatus.eu$"#, options: .regularExpression) != nil, "\(lines[2])")
        #expect(lines[3] == "done: 1 applied, 0 skipped, 2 events written")

        let again = LogCollector()
        try Cairn.boot(DemoApplication.application, database: database, seeds: directory.path("seeds"), logger: again.logger)
        #expect(again.lines == ["0/1 pending — nothing to do"])

        let run = try #require(try RunHistory(store: store).latestRun())
        #expect(run.trigger == .boot)
        #expect(run.status == .succeeded)
    }

    @Test("a failed boot throws with exit code 1 and leaves its log for another process to read")
    func failedBootIsReadable() throws {
        let directory = try TemporaryDirectory()
        try directory.write("seeds/2026-05-21-trap.sql", """
            -- description: forgets the stream tenant
            -- @write tenant:write:update-member-roles
            SELECT json_object('userId', 'u-admin', 'tenantId', 'globex', 'roles', json_array('Admin', 'Viewer')) AS payload
            FROM memberships WHERE id = 'm-admin-globex' AND roles NOT LIKE '%Viewer%';
            """)
        let database = directory.path("app.sqlite")
        let store = try EventStore(path: database, domain: DemoApplication.domain, mode: .createIfNeeded)
        _ = try DemoGenerator().build(into: store, size: .small) { _ in }
        let collector = LogCollector()
        let error = #expect(throws: RunnerError.self) {
            try Cairn.boot(DemoApplication.application, database: database, seeds: directory.path("seeds"), logger: collector.logger)
        }
        #expect(error?.exitCode == 1)
        #expect(collector.lines.contains { $0.hasPrefix("✗ 2026-05-21-trap failed at block 1") })
        // Another process (a console) opens the same file and reads the failed boot.
        let reader = try EventStore(path: database, domain: DemoApplication.domain)
        let run = try #require(try RunHistory(store: reader).latestRun())
        #expect(run.trigger == .boot && run.status == .failed)
        let lines = try RunHistory(store: reader).lines(run: run.id).map(\.message)
        #expect(lines == collector.lines)
    }

    @Test("a boot with a missing seeds folder refuses before creating the database or its folder")
    func bootWithoutSeedsCreatesNothing() throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("data/app.sqlite")
        let error = #expect(throws: CatalogError.self) {
            try Cairn.boot(DemoApplication.application, database: database, seeds: directory.path("no-seeds"), logger: .cairnQuiet)
        }
        #expect(error?.exitCode == 2)
        #expect(error?.summary.contains("no-seeds does not exist") == true)
        #expect(!FileManager.default.fileExists(atPath: directory.path("data")))
    }

    @Test("the async boot applies the same migrations as the synchronous one, off the caller's thread")
    func asyncBootApplies() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("seeds/2026-05-01-one.sql", """
            -- description: create one tenant
            -- @write tenant:write:create
            SELECT json_object('tenantId', 't1', 'slug', 't1', 'name', 'T1') AS payload
            WHERE NOT EXISTS (SELECT 1 FROM tenants WHERE id = 't1');
            """)
        let database = directory.path("data/app.sqlite")
        let outcome = try await Cairn.boot(
            DemoApplication.application, database: database, seeds: directory.path("seeds"), logger: .cairnQuiet)
        #expect(outcome.applied.map(\.id) == ["2026-05-01-one"])
        let again = try await Cairn.boot(
            DemoApplication.application, database: database, seeds: directory.path("seeds"), logger: .cairnQuiet)
        #expect(again.applied.isEmpty)
    }
}
