import CairnDemo
import CairnStore
import Foundation
import GRDB
import CairnRunner
import Logging

/// Builds benchmark stores quickly with bulk SQL: memberships with a few events of
/// history each (the aggregates a migration changes) and filler incident events,
/// with read tables and checkpoints consistent with the events.
enum BenchStore {
    /// The migration the apply, dry-run and memory workloads run: every member gets Viewer.
    static let migrationId = "2026-11-01-grant-viewer"

    /// A runner of the demo application on the store at `db` with the seeds in `seeds`, for the child processes.
    static func runner(db: String, seeds: String) throws -> MigrationRunner {
        MigrationRunner(
            application: DemoApplication.application, store: try EventStore(path: db, domain: DemoApplication.domain),
            seedsDirectory: seeds)
    }

    /// A logger that drops everything: the bench measures, it does not report runs.
    static let quietLogger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
    static let migrationSQL = """
        -- description: grant Viewer to every member
        -- @write tenant:write:update-member-roles
        SELECT json_object('userId', user_id, 'tenantId', tenant_id,
                           'roles', json('["Member","Viewer"]')) AS payload
        FROM memberships WHERE roles = '["Member"]';
        """

    /// Creates a store at `path` with `aggregates` memberships (3 events each) and
    /// filler incident events up to `totalEvents` events in all.
    static func make(path: String, aggregates: Int, totalEvents: Int) throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let store = try EventStore(path: path, domain: DemoApplication.domain, mode: .createIfNeeded)
        let tenants = 50
        let now = Timestamp.now()
        let metadata = #"{"actor":"admin","handler":"bench"}"#
        try store.pool.write { db in
            // The candidate query's filter, indexed as an operator would for a large migration.
            try db.execute(sql: "CREATE INDEX IF NOT EXISTS memberships_by_roles ON memberships(roles)")
            let event = try db.makeStatement(sql: """
                INSERT INTO events (stream_id, stream_type, tenant_id, version, type, schema_version, payload, metadata, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for t in 0..<tenants {
                let id = "t-\(t)"
                try event.execute(arguments: [id, "tenant", id, 1, "tenant.created", 1,
                                              #"{"name":"Tenant \#(t)","slug":"\#(id)","tenantId":"\#(id)"}"#, metadata, now])
                try db.execute(sql: "INSERT INTO tenants (id, slug, name) VALUES (?, ?, ?)", arguments: [id, id, "Tenant \(t)"])
            }
            let member = try db.makeStatement(sql: "INSERT INTO memberships (id, user_id, tenant_id, roles, stream_tenant) VALUES (?, ?, ?, ?, ?)")
            let user = try db.makeStatement(sql: "INSERT INTO users (id, email, name) VALUES (?, ?, ?)")
            for index in 0..<aggregates {
                let id = "m-\(index)", userId = "u-\(index)", tenant = "t-\(index % tenants)"
                try event.execute(arguments: [userId, "user", "platform", 1, "user.registered", 1,
                                              #"{"email":"user\#(index)@example.com","name":"User \#(index)","userId":"\#(userId)"}"#, metadata, now])
                try user.execute(arguments: [userId, "user\(index)@example.com", "User \(index)"])
                let common = #""membershipId":"\#(id)","tenantId":"\#(tenant)","userId":"\#(userId)""#
                try event.execute(arguments: [id, "tenant-membership", tenant, 1, "tenant-membership.added", 1,
                                              #"{\#(common),"roles":["Member"]}"#, metadata, now])
                try event.execute(arguments: [id, "tenant-membership", tenant, 2, "tenant-membership.updated", 1,
                                              #"{\#(common),"roles":["Member","Responder"]}"#, metadata, now])
                try event.execute(arguments: [id, "tenant-membership", tenant, 3, "tenant-membership.updated", 1,
                                              #"{\#(common),"roles":["Member"]}"#, metadata, now])
                try member.execute(arguments: [id, userId, tenant, #"["Member"]"#, tenant])
            }
            let used = tenants + aggregates * 4
            let incident = try db.makeStatement(sql: "INSERT INTO incidents (id, tenant_id, title, severity, status) VALUES (?, ?, ?, ?, 'open')")
            var index = 0
            while used + index < totalEvents {
                let id = "i-\(index)", tenant = "t-\(index % tenants)"
                try event.execute(arguments: [id, "incident", tenant, 1, "incident.opened", 2,
                                              #"{"incidentId":"\#(id)","severity":"low","tenantId":"\#(tenant)","title":"Incident \#(index)"}"#, metadata, now])
                try incident.execute(arguments: [id, tenant, "Incident \(index)", "low"])
                index += 1
            }
            let head = try Int64.fetchOne(db, sql: "SELECT max(position) FROM events") ?? 0
            try SQLiteLedger(db).advanceCheckpoints(from: 0, to: head)
        }
        try store.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try store.pool.close()
    }

    /// Copies a store file (checkpointed, so the main file is the whole store).
    static func copy(_ path: String, to target: String) throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target + suffix) }
        try FileManager.default.copyItem(atPath: path, toPath: target)
    }

    /// Writes the benchmark migration into `seeds` (and `extra` simple seeds already applied, for status).
    static func seeds(_ folder: String, extra: Int = 0) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try migrationSQL.write(toFile: "\(folder)/\(migrationId).sql", atomically: true, encoding: .utf8)
        for index in 0..<extra {
            let day = String(format: "2025-%02d-%02d", index / 28 % 12 + 1, index % 28 + 1)
            let id = "\(day)-seed-\(index)"
            try """
                -- description: seed \(index) of the status workload
                -- @write incident:write:resolve
                SELECT json_object('incidentId', id, 'tenantId', tenant_id) AS payload FROM incidents WHERE id = 'none-\(index)';
                """.write(toFile: "\(folder)/\(id).sql", atomically: true, encoding: .utf8)
        }
    }
}
