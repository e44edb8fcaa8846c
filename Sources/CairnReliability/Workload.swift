import CairnDemo
import CairnRunner
import CairnStore
import Foundation
import GRDB

/// The store and seeds the trials start from: a demo store and two migrations that
/// span many batches, over many streams.
struct Workload {
    /// Resolves the open low-severity incidents, ten per batch.
    static let resolveId = "2026-06-01-resolve-low-incidents"
    /// Adds Viewer to every membership without it, through each one's stream tenant.
    static let tagId = "2026-06-02-tag-memberships"

    let folder: URL
    var database: String { folder.appendingPathComponent("base.sqlite").path }
    var seeds: String { folder.appendingPathComponent("seeds").path }

    /// Builds the base store and seeds in a new temporary folder.
    static func make(size: DemoSize) throws -> Workload {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-reliability-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("seeds"), withIntermediateDirectories: true)
        let workload = Workload(folder: folder)
        try """
            -- description: resolve the open low-severity incidents
            -- batch: 10
            -- @write incident:write:resolve
            SELECT json_object('incidentId', id, 'tenantId', tenant_id) AS payload
            FROM incidents WHERE status = 'open' AND severity = 'low' ORDER BY id;
            """.write(toFile: "\(workload.seeds)/\(resolveId).sql", atomically: true, encoding: .utf8)
        try """
            -- description: add Viewer to every membership that lacks it
            -- batch: 25
            -- @write tenant:write:update-member-roles
            SELECT json_object('userId', user_id, 'tenantId', tenant_id,
                               'roles', json_insert(roles, '$[#]', 'Viewer')) AS payload,
                   stream_tenant AS stream_tenant
            FROM memberships m
            WHERE NOT EXISTS (SELECT 1 FROM json_each(m.roles) WHERE value = 'Viewer')
            ORDER BY id;
            """.write(toFile: "\(workload.seeds)/\(tagId).sql", atomically: true, encoding: .utf8)
        let store = try EventStore(path: workload.database, domain: DemoApplication.domain, mode: .createIfNeeded)
        _ = try DemoGenerator().build(into: store, size: size) { _ in }
        try store.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try store.pool.close()
        return workload
    }

    /// What the migrations must change, read from the base store.
    struct Expectation {
        let openLow: Set<String>
        let untagged: Set<String>
        let events: Int
    }

    func expectation() throws -> Expectation {
        let queue = try DatabaseQueue(path: database)
        defer { try? queue.close() }
        return try queue.read { db in
            Expectation(
                openLow: Set(try String.fetchAll(db, sql: "SELECT id FROM incidents WHERE status = 'open' AND severity = 'low'")),
                untagged: Set(try String.fetchAll(db, sql: """
                    SELECT id FROM memberships m WHERE NOT EXISTS (SELECT 1 FROM json_each(m.roles) WHERE value = 'Viewer')
                    """)),
                events: try Int.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0)
        }
    }

    /// A fresh copy of the base store for one trial.
    func copy(named name: String) throws -> String {
        let path = folder.appendingPathComponent("\(name).sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        try FileManager.default.copyItem(atPath: database, toPath: path)
        return path
    }

    /// Removes a trial's files.
    func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm", ".rebuilt", ".rebuilt-wal", ".rebuilt-shm"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
    }
}
