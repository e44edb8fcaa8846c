import CairnDemo
import CairnPostgres
import CairnRunner
import CairnStore
import Foundation
import Logging

/// The apply workload on a PostgreSQL server: Cairn's apply through the handlers against
/// the same statements issued directly through the same client (postgres-nio, driven the
/// same way), alternately, each on a fresh copy of one base database.
///
/// The URL must reach a database as a user who may create databases; the bench makes
/// `cairn_bench_<pid>_*` databases and drops them at the end.
struct PostgresBench {
    let server: PostgresURL
    let aggregates: Int
    let repeats: Int
    let seeds: String
    let note: (String) -> Void
    private var base: String { "cairn_bench_\(getpid())_base" }

    /// The migration the workload applies, in PostgreSQL's dialect: every member gets Viewer.
    static let migrationSQL = """
        -- description: grant Viewer to every member
        -- @write tenant:write:update-member-roles
        SELECT jsonb_build_object('userId', user_id, 'tenantId', tenant_id, 'roles', '["Member","Viewer"]'::jsonb) AS payload
        FROM memberships WHERE roles = '["Member"]'::jsonb;
        """

    /// Cairn's and the reference's rows per second, medians of `repeats` alternating runs.
    func measure() throws -> (cairn: Double, reference: Double) {
        try FileManager.default.createDirectory(atPath: seeds, withIntermediateDirectories: true)
        try PostgresBench.migrationSQL.write(toFile: "\(seeds)/\(BenchStore.migrationId).sql", atomically: true, encoding: .utf8)
        note("building the PostgreSQL apply database: \(aggregates) memberships × 3 events")
        try admin("DROP DATABASE IF EXISTS \(base) WITH (FORCE)")
        try admin("CREATE DATABASE \(base)")
        defer { try? admin("DROP DATABASE IF EXISTS \(base) WITH (FORCE)") }
        try build()
        note("apply on PostgreSQL through Cairn and through the same statements on the same client, alternately, \(repeats) times each")
        var ours: [Double] = [], theirs: [Double] = []
        for round in 0..<repeats {
            let cairnCopy = try copy("cairn_\(round)")
            defer { try? admin("DROP DATABASE IF EXISTS \(cairnCopy) WITH (FORCE)") }
            let store = try PostgresStore(url(of: cairnCopy), domain: DemoApplication.domain)
            let runner = MigrationRunner(application: DemoApplication.application, store: store, seedsDirectory: seeds)
            let quiet = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
            let started = Date()
            let outcome = try runner.migrate(logger: quiet)
            ours.append(Date().timeIntervalSince(started))
            store.close()
            guard outcome.applied.first?.events == aggregates else {
                throw BenchError("apply on PostgreSQL wrote \(outcome.applied.first?.events ?? 0) events")
            }
            let referenceCopy = try copy("reference_\(round)")
            defer { try? admin("DROP DATABASE IF EXISTS \(referenceCopy) WITH (FORCE)") }
            let session = try PostgresSession(url: PostgresURL(url(of: referenceCopy)))
            defer { session.close() }
            let referenceStarted = Date()
            let rows = try reference(session)
            theirs.append(Date().timeIntervalSince(referenceStarted))
            guard rows == aggregates else { throw BenchError("the PostgreSQL reference applied \(rows) rows") }
        }
        let median = { (values: [Double]) in values.sorted()[values.count / 2] }
        return (Double(aggregates) / median(ours), Double(aggregates) / median(theirs))
    }

    /// The base database: the demo's tables, then memberships with three events each, in bulk SQL.
    private func build() throws {
        let store = try PostgresStore(url(of: base), domain: DemoApplication.domain, mode: .createIfNeeded)
        store.close()
        let session = try PostgresSession(url: PostgresURL(url(of: base)))
        defer { session.close() }
        let metadata = #"{"actor":"admin","handler":"bench"}"#
        let now = Timestamp.now()
        try session.execute("CREATE INDEX IF NOT EXISTS memberships_by_roles ON memberships(roles)")
        try session.execute("""
            INSERT INTO events (stream_id, stream_type, tenant_id, version, type, schema_version, payload, metadata, recorded_at)
            SELECT 'm-' || n, 'tenant-membership', 't-' || (n % 50), v,
                   CASE v WHEN 1 THEN 'tenant-membership.added' ELSE 'tenant-membership.updated' END, 1,
                   jsonb_build_object('membershipId', 'm-' || n, 'tenantId', 't-' || (n % 50), 'userId', 'u-' || n,
                                      'roles', CASE v WHEN 2 THEN '["Member","Responder"]'::jsonb ELSE '["Member"]'::jsonb END),
                   $1::jsonb, $2
            FROM generate_series(0, $3 - 1) AS n, generate_series(1, 3) AS v ORDER BY n, v
            """, [.text(metadata), .text(now), .int(Int64(aggregates))])
        try session.execute("""
            INSERT INTO memberships (id, user_id, tenant_id, roles, stream_tenant)
            SELECT 'm-' || n, 'u-' || n, 't-' || (n % 50), '["Member"]'::jsonb, 't-' || (n % 50) FROM generate_series(0, $1 - 1) AS n
            """, [.int(Int64(aggregates))])
        try session.execute("UPDATE cairn_projections SET checkpoint = (SELECT max(position) FROM events)")
        try session.execute("VACUUM ANALYZE")
    }

    /// The statements Cairn's apply issues, in the same transactions, as a plain program:
    /// per batch of 256 candidate rows the head and the candidates, per row the membership
    /// lookup, the stream's events, its newest version, the insert and the read table's
    /// update, then the checkpoints, the attempt's progress and the change notification.
    private func reference(_ session: PostgresSession, batch: Int = SeedHeader.defaultBatch) throws -> Int {
        // The same bytes as Cairn's events: its migration id in the column and the metadata.
        let migration = BenchStore.migrationId
        let metadata = #"{"actor":"system","handler":"tenant:write:update-member-roles","migrationId":"\#(migration)","runId":0}"#
        var total = 0
        while true {
            try session.execute("BEGIN")
            let before = try session.rows("SELECT coalesce(max(position), 0) FROM events").first?.values.first?.int ?? 0
            let rows = try session.rows("""
                SELECT (payload)::text, (NULL::text)::text, pg_typeof(payload)::text, pg_typeof(NULL::text)::text FROM (
                  SELECT jsonb_build_object('userId', user_id, 'tenantId', tenant_id, 'roles', '["Member","Viewer"]'::jsonb) AS payload
                  FROM memberships WHERE roles = '["Member"]'::jsonb) AS cairn_candidates LIMIT $1
                """, [.int(Int64(batch))])
            let now = Timestamp.now()
            for row in rows {
                guard let object = try JSONValue(parsing: row.values[0].string ?? "{}").objectValue,
                      let userId = object["userId"]?.stringValue, let tenantId = object["tenantId"]?.stringValue
                else { throw BenchError("a candidate without userId and tenantId") }
                let roles = object["roles"]?.jsonText ?? "[]"
                guard let membership = try session.rows(
                    "SELECT id FROM memberships WHERE user_id = $1 AND tenant_id = $2", [.text(userId), .text(tenantId)]
                ).first?.values.first?.string else { throw BenchError("no membership") }
                let events = try session.rows(
                    "SELECT \(PostgresTransactionBackend.columns) FROM events WHERE stream_id = $1 AND tenant_id = $2 ORDER BY version",
                    [.text(membership), .text(tenantId)])
                let version = events.last?.values[4].int ?? 0
                guard try session.rows(
                    "SELECT version, tenant_id, stream_type FROM events WHERE stream_id = $1 ORDER BY version DESC LIMIT 1",
                    [.text(membership)]
                ).first?.values.first?.int == version else { throw BenchError("version conflict") }
                let payload = #"{"membershipId":"\#(membership)","roles":\#(roles),"tenantId":"\#(tenantId)","userId":"\#(userId)"}"#
                guard try session.rows("""
                    INSERT INTO events (stream_id, stream_type, tenant_id, version, type, schema_version,
                                        payload, metadata, recorded_at, migration_id, run_id)
                    VALUES ($1, 'tenant-membership', $2, $3, 'tenant-membership.updated', 1, $4::jsonb, $5::jsonb, $6, $7, 0)
                    ON CONFLICT (stream_id, version) DO NOTHING RETURNING position
                    """, [.text(membership), .text(tenantId), .int(version + 1), .text(payload), .text(metadata), .text(now), .text(migration)]
                ).first != nil else { throw BenchError("version conflict") }
                try session.execute("UPDATE memberships SET roles = $1 WHERE id = $2", [.text(roles), .text(membership)])
            }
            total += rows.count
            let finished = try session.rows("""
                SELECT 1 FROM (SELECT jsonb_build_object('userId', user_id) AS payload FROM memberships
                               WHERE roles = '["Member"]'::jsonb) AS cairn_candidates LIMIT 1
                """).isEmpty
            try session.execute(
                "UPDATE cairn_projections SET checkpoint = $1, updated_at = $2 WHERE checkpoint = $3",
                [.int(try session.rows("SELECT coalesce(max(position), 0) FROM events").first?.values.first?.int ?? 0), .text(now), .int(before)])
            if finished {
                try session.execute("""
                    INSERT INTO cairn_markers (migration_id, checksum, description, applied_at, duration_ms, trigger, host, pid,
                                               run_id, events_written)
                    VALUES ($2, '', '', '', 0, 'cli', '', 0, 0, $1)
                    """, [.int(Int64(total)), .text(migration)])
            }
            try session.execute("NOTIFY cairn_changes")
            try session.execute("COMMIT")
            if finished { return total }
        }
    }


    private func copy(_ name: String) throws -> String {
        let database = "cairn_bench_\(getpid())_\(name)"
        try admin("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
        try admin("CREATE DATABASE \(database) TEMPLATE \(base)")
        return database
    }


    /// The URL, with the password, of `database` on the server.
    private func url(of database: String) -> String {
        server.database(database).connectionString
    }

    /// Runs one administrative statement on the database the given URL names.
    private func admin(_ sql: String) throws {
        try server.administer(sql, applicationName: "cairn-bench")
    }
}
