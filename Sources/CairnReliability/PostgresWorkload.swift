import CairnDemo
import CairnPostgres
import CairnRunner
import CairnStore
import Foundation

/// The trials' stores on a PostgreSQL server: a base database with the demo, and a copy
/// per trial made with `CREATE DATABASE … TEMPLATE base`, so every trial starts from the
/// same events. The URL given must reach a database as a user who may create databases.
struct PostgresWorkload: TrialStore {
    let folder: URL
    let server: PostgresURL
    let base: String
    var seeds: String { folder.appendingPathComponent("seeds").path }

    /// Builds the base database and the seeds (PostgreSQL's dialect) in a new temporary folder.
    static func make(url text: String, size: DemoSize) throws -> PostgresWorkload {
        let server = try PostgresURL(text)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-reliability-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("seeds"), withIntermediateDirectories: true)
        let workload = PostgresWorkload(folder: folder, server: server, base: "cairn_reliability_\(getpid())_base")
        try """
            -- description: resolve the open low-severity incidents
            -- batch: 10
            -- @write incident:write:resolve
            SELECT jsonb_build_object('incidentId', id, 'tenantId', tenant_id) AS payload
            FROM incidents WHERE status = 'open' AND severity = 'low' ORDER BY id;
            """.write(toFile: "\(workload.seeds)/\(Workload.resolveId).sql", atomically: true, encoding: .utf8)
        try """
            -- description: add Viewer to every membership that lacks it
            -- batch: 25
            -- @write tenant:write:update-member-roles
            SELECT jsonb_build_object('userId', user_id, 'tenantId', tenant_id, 'roles', roles || '["Viewer"]'::jsonb) AS payload,
                   stream_tenant AS stream_tenant
            FROM memberships m
            WHERE NOT m.roles @> '["Viewer"]'::jsonb
            ORDER BY id;
            """.write(toFile: "\(workload.seeds)/\(Workload.tagId).sql", atomically: true, encoding: .utf8)
        try workload.admin("DROP DATABASE IF EXISTS \(workload.base) WITH (FORCE)")
        try workload.admin("CREATE DATABASE \(workload.base)")
        let store = try PostgresStore(workload.url(of: workload.base), domain: DemoApplication.domain, mode: .createIfNeeded)
        _ = try DemoGenerator().build(into: store, size: size) { _ in }
        store.close()
        return workload
    }



    func expectation() throws -> Workload.Expectation {
        let store = try PostgresStore(url: PostgresURL(url(of: base)), domain: .empty, mode: .readOnly)
        defer { store.close() }
        return try store.query { model in
            Workload.Expectation(
                openLow: Set(try model.fetchAll("SELECT id FROM incidents WHERE status = 'open' AND severity = 'low'")
                    .compactMap { $0[0].string }),
                untagged: Set(try model.fetchAll("SELECT id FROM memberships WHERE NOT roles @> '[\"Viewer\"]'::jsonb")
                    .compactMap { $0[0].string }),
                events: Int(try model.scalar("SELECT count(*) FROM events")?.int ?? 0))
        }
    }

    func copy(named name: String) throws -> String {
        let database = "\(base.dropLast("base".count))\(name.replacingOccurrences(of: "-", with: "_"))"
        try admin("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
        try admin("CREATE DATABASE \(database) TEMPLATE \(base)")
        return url(of: database)
    }

    func remove(_ database: String) {
        guard let name = database.split(separator: "/").last?.split(separator: "?").first else { return }
        try? admin("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    func finish() {
        try? admin("DROP DATABASE IF EXISTS \(base) WITH (FORCE)")
        try? FileManager.default.removeItem(at: folder)
    }

    func midway(_ database: String, expected: Workload.Expectation) throws -> [String] {
        let store = try PostgresStore(url: PostgresURL(database), domain: DemoApplication.domain, mode: .readOnly)
        defer { store.close() }
        var problems = try common(store)
        let markers = Set(try store.readLedger { try $0.markers() }.map(\.migrationId))
        let (open, untagged) = try store.query { model in
            (try model.scalar("SELECT count(*) FROM incidents WHERE status = 'open' AND severity = 'low'")?.int ?? 0,
             try model.scalar("SELECT count(*) FROM memberships WHERE NOT roles @> '[\"Viewer\"]'::jsonb")?.int ?? 0)
        }
        if markers.contains(Workload.resolveId), open > 0 {
            problems.append("\(Workload.resolveId) has a marker but \(open) incidents are still open")
        }
        if markers.contains(Workload.tagId), untagged > 0 {
            problems.append("\(Workload.tagId) has a marker but \(untagged) memberships lack Viewer")
        }
        let runner = MigrationRunner(application: DemoApplication.application, store: store, seedsDirectory: seeds, processEnvironment: [:])
        let report = try runner.status()
        for id in [Workload.resolveId, Workload.tagId] {
            guard let status = report.migrations.first(where: { $0.id == id }), status.marker == nil else { continue }
            let written = try store.eventCount(writtenBy: id)
            if written > 0 && (status.state != .partial || status.partial?.direction != .up || status.partial?.finish != "cairn up") {
                problems.append("\(id) has \(written) events and no marker, but status shows it \(status.state.rawValue)")
            }
        }
        return problems
    }

    func final(_ database: String, expected: Workload.Expectation, extraEvents: Int) throws -> [String] {
        let store = try PostgresStore(url: PostgresURL(database), domain: DemoApplication.domain, mode: .readOnly)
        defer { store.close() }
        var problems = try common(store)
        let markers = try store.readLedger { try $0.markers() }
        if markers.map(\.migrationId) != [Workload.resolveId, Workload.tagId] { problems.append("markers: \(markers.map(\.migrationId))") }
        for (id, wanted, noun) in [(Workload.resolveId, expected.openLow, "incidents resolved"), (Workload.tagId, expected.untagged, "memberships tagged")] {
            let rows = try store.query { model in
                try model.fetchAll("SELECT stream_id, count(*) FROM events WHERE migration_id = ? GROUP BY stream_id", [id])
            }
            let ids = Set(rows.compactMap { $0[0].string })
            if ids != wanted {
                problems.append("\(ids.count) \(noun), expected \(wanted.count) (missing \(wanted.subtracting(ids).count), extra \(ids.subtracting(wanted).count))")
            }
            if let twice = rows.first(where: { $0[1].int != 1 }) {
                problems.append("\(twice[0].string ?? "") got \(twice[1].int ?? 0) events of \(id)")
            }
        }
        for marker in markers {
            let tagged = try store.eventCount(writtenBy: marker.migrationId)
            if marker.eventsWritten != tagged {
                problems.append("the marker of \(marker.migrationId) counts \(marker.eventsWritten) events; \(tagged) carry its id")
            }
        }
        if try store.readLedger({ try $0.runningRuns() }).count > 0 { problems.append("runs still marked running") }
        let events = Int(try store.query { try $0.scalar("SELECT count(*) FROM events")?.int ?? 0 })
        let wanted = expected.events + expected.openLow.count + expected.untagged.count + extraEvents
        if events != wanted { problems.append("\(events) events in the store, expected exactly \(wanted)") }
        if try store.query({ try $0.scalar("SELECT count(*) FROM cairn_lock")?.int ?? 0 }) > 0 { problems.append("a lock row left") }
        // The copy for the rebuild needs the database without other connections.
        store.close()
        problems += try readTablesMatchRebuild(database)
        return problems
    }

    /// Versions contiguous per stream, at any moment.
    private func common(_ store: PostgresStore) throws -> [String] {
        let gaps = try store.query { model in
            try model.scalar("""
                SELECT count(*) FROM (SELECT stream_id FROM events GROUP BY stream_id
                                      HAVING min(version) != 1 OR max(version) != count(*)) gaps
                """)?.int ?? 0
        }
        return gaps > 0 ? ["\(gaps) streams have gaps or repeats in their versions"] : []
    }

    /// Rebuilds a copy of the database from its events and compares every read table.
    private func readTablesMatchRebuild(_ database: String) throws -> [String] {
        guard let name = database.split(separator: "/").last?.split(separator: "?").first else { return [] }
        let copyName = "\(name)_rebuilt"
        try admin("DROP DATABASE IF EXISTS \(copyName) WITH (FORCE)")
        try admin("CREATE DATABASE \(copyName) TEMPLATE \(name)")
        defer { try? admin("DROP DATABASE IF EXISTS \(copyName) WITH (FORCE)") }
        let copy = try PostgresStore(url: PostgresURL(url(of: copyName)), domain: DemoApplication.domain)
        _ = try copy.rebuildProjections([], chunk: 5_000, shadowSuffix: ProjectionRebuilder.newShadowSuffix(), check: { _ in }, progress: { _, _ in })
        let live = try PostgresStore(url: PostgresURL(database), domain: .empty, mode: .readOnly)
        defer {
            copy.close()
            live.close()
        }
        var problems: [String] = []
        for table in DemoApplication.projections.flatMap(\.tables).map(\.name) {
            let sql = "SELECT * FROM \(table) ORDER BY id"
            let a = try live.query { try $0.fetchAll(sql) }
            let b = try copy.query { try $0.fetchAll(sql) }
            if a != b {
                problems.append("read table \(table) differs from a rebuild from the events (\(a.count) rows live, \(b.count) rebuilt)")
            }
        }
        return problems
    }

    /// The URL, with the password, of `database` on the server.
    private func url(of database: String) -> String {
        server.database(database).connectionString
    }

    /// Runs one administrative statement on the database the given URL names.
    private func admin(_ sql: String) throws {
        try server.administer(sql, applicationName: "cairn-reliability")
    }
}
