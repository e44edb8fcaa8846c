import GRDB
import Logging
import CairnDemo
import CairnRunner
import CairnStore
import Foundation

/// A temporary folder removed when the value is deinitialised.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("cairn-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// The path of `name` inside the folder.
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `text` to `name` (creating folders) and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }
}

/// A fresh demo store in a temporary folder, with the demo domain.
func makeDemoStore(in directory: TemporaryDirectory, name: String = "events.sqlite") throws -> EventStore {
    try EventStore(path: directory.path(name), domain: DemoApplication.domain, mode: .createIfNeeded)
}

/// A logger that drops everything: runs are read back from the store instead.
let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

/// A demo store with a seeds folder and a runner over them, in a temporary folder.
struct Fixture {
    let directory: TemporaryDirectory
    let store: EventStore
    let seeds: String

    /// A fresh fixture; `demo` fills the store with the small demo.
    init(demo: Bool = true) throws {
        directory = try TemporaryDirectory()
        store = try makeDemoStore(in: directory)
        seeds = directory.path("seeds")
        try FileManager.default.createDirectory(atPath: seeds, withIntermediateDirectories: true)
        if demo {
            _ = try DemoGenerator().build(into: store, size: .small) { _ in }
        }
    }

    /// A runner over the fixture, with `environment` as the process environment.
    func runner(environment: [String: String] = [:]) -> MigrationRunner {
        MigrationRunner(
            application: DemoApplication.application, store: store, seedsDirectory: seeds, environmentName: "test",
            processEnvironment: environment)
    }

    /// Writes a seed file into the seeds folder.
    @discardableResult
    func seed(_ id: String, _ text: String) throws -> String {
        try directory.write("seeds/\(id).sql", text)
    }

    /// Removes a seed file.
    func removeSeed(_ id: String) throws {
        try FileManager.default.removeItem(atPath: "\(seeds)/\(id).sql")
    }

    /// Counts rows of a query.
    func count(_ sql: String, _ arguments: StatementArguments = StatementArguments()) throws -> Int {
        try store.read { db in try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0 }
    }

    /// A fingerprint of everything a failed or refused run must not change:
    /// events, read tables, markers, overrides.
    func dataFingerprint() throws -> String {
        try store.read { db in
            var parts: [String] = []
            for table in ["events", "tenants", "users", "memberships", "incidents", "cairn_markers", "cairn_overrides"] {
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1")
                parts.append("\(table):\(rows.map(\.description).joined(separator: "|"))")
            }
            return parts.joined(separator: "\n")
        }
    }

    /// Migrates with default options plus `configure`.
    @discardableResult
    func up(environment: [String: String] = [:], _ configure: (inout MigrateOptions) -> Void = { _ in }) throws -> MigrateOutcome {
        var options = MigrateOptions()
        options.lockTimeout = 2
        configure(&options)
        return try runner(environment: environment).migrate(options, logger: quietLogger)
    }
}

/// The fix-admin-roles seed of DESIGN §3, as in the repository's seeds/.
let fixAdminRoles = """
    -- description: add the TenantAdmin role to admin@publicstatus.eu
    -- skippable: true

    -- @write tenant:write:update-member-roles
    SELECT json_object('userId', m.user_id,
                       'tenantId', m.tenant_id,
                       'roles', json_insert(m.roles, '$[#]', 'TenantAdmin')) AS payload,
           m.stream_tenant AS stream_tenant
    FROM memberships m JOIN users u ON u.id = m.user_id
    WHERE u.email = 'admin@publicstatus.eu'
      AND NOT EXISTS (SELECT 1 FROM json_each(m.roles) WHERE value = 'TenantAdmin');
    """

/// Resolves every open incident, in batches of `batch`.
func resolveAllIncidents(batch: Int, atomic: Bool = false, skippable: Bool = false) -> String {
    """
    -- description: resolve every open incident
    -- batch: \(batch)
    -- atomic: \(atomic)
    -- skippable: \(skippable)

    -- @write incident:write:resolve
    SELECT json_object('incidentId', id, 'tenantId', tenant_id) AS payload
    FROM incidents WHERE status = 'open' ORDER BY id;
    """
}
