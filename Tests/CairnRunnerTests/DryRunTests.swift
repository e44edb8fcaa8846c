import CairnDemo
@testable import CairnRunner
import CairnStore
import Foundation
import GRDB
import Testing

/// The rows of the demo's read tables, by table and primary key, as JSON values per column.
func readModel(_ store: EventStore) throws -> [String: [String: [String: JSONValue]]] {
    try store.read { db in
        var tables: [String: [String: [String: JSONValue]]] = [:]
        for table in ["tenants", "users", "memberships", "incidents"] {
            for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table)") {
                var columns: [String: JSONValue] = [:]
                for (name, value) in row {
                    switch value.storage {
                    case .null: columns[name] = .null
                    case .int64(let int): columns[name] = .int(int)
                    case .double(let double): columns[name] = .double(double)
                    case .string(let string): columns[name] = .string(string)
                    case .blob: columns[name] = .string("blob")
                    }
                }
                tables[table, default: [:]][row["id"] as String] = columns
            }
        }
        return tables
    }
}

/// What changed between two read models, in the dry-run's terms: (table, key, kind, changed columns).
func difference(
    _ before: [String: [String: [String: JSONValue]]], _ after: [String: [String: [String: JSONValue]]]
) -> Set<String> {
    var changes = Set<String>()
    for table in Set(before.keys).union(after.keys) {
        let old = before[table] ?? [:], new = after[table] ?? [:]
        for key in Set(old.keys).union(new.keys) {
            switch (old[key], new[key]) {
            case (nil, let row?): changes.insert("\(table) \(key) insert \(row.keys.sorted().map { "\($0)=\(row[$0]!.jsonText)" })")
            case (let row?, nil): changes.insert("\(table) \(key) delete \(row.keys.sorted().map { "\($0)=\(row[$0]!.jsonText)" })")
            case (let a?, let b?) where a != b:
                let fields = a.keys.sorted().filter { a[$0] != b[$0] }.map { "\($0)=\(a[$0]!.jsonText)→\(b[$0]!.jsonText)" }
                changes.insert("\(table) \(key) update \(fields)")
            default: break
            }
        }
    }
    return changes
}

/// The read model with the dry-run's changes applied in order, as the real run would leave it.
func applying(
    _ changes: [RowChange], to model: [String: [String: [String: JSONValue]]]
) -> [String: [String: [String: JSONValue]]] {
    var model = model
    for change in changes {
        let key = change.keyText
        switch change.kind {
        case .insert:
            model[change.table, default: [:]][key] = change.fields.compactMapValues(\.new)
        case .delete:
            model[change.table]?[key] = nil
        case .update:
            for (name, field) in change.fields { model[change.table]?[key]?[name] = field.new }
        }
    }
    return model
}

/// The dry-run's row changes in the same terms.
func difference(_ changes: [RowChange]) -> Set<String> {
    Set(changes.map { change in
        let fields = change.fields.keys.sorted().map { name -> String in
            let field = change.fields[name]!
            switch change.kind {
            case .insert: return "\(name)=\(field.new!.jsonText)"
            case .delete: return "\(name)=\(field.old!.jsonText)"
            case .update: return "\(name)=\(field.old!.jsonText)→\(field.new!.jsonText)"
            }
        }
        return "\(change.table) \(change.keyText) \(change.kind.rawValue) \(fields)"
    })
}

/// A checksum of events and read tables.
func storeChecksum(_ store: EventStore) throws -> String {
    try store.read { db in
        var text = ""
        for table in ["events", "tenants", "users", "memberships", "incidents", "cairn_markers", "cairn_projections"] {
            for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1") { text += row.description + "\n" }
        }
        return text
    }
}

@Suite("Dry-run")
struct DryRunTests {
    @Test("a dry-run reports exactly the events and row changes the real up then writes")
    func dryRunMatchesUp() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-05-01-create", """
            -- description: a tenant and a membership in it
            -- @write tenant:write:create
            SELECT json_object('tenantId', 'publicstatus', 'slug', 'publicstatus', 'name', 'PublicStatus') AS payload
            WHERE NOT EXISTS (SELECT 1 FROM tenants WHERE id = 'publicstatus');
            -- @write tenant:write:add-member
            SELECT json_object('membershipId', 'm-ps-' || u.id, 'userId', u.id, 'tenantId', 'publicstatus',
                               'roles', json_array('Admin')) AS payload
            FROM users u WHERE u.email = 'admin@publicstatus.eu'
              AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.tenant_id = 'publicstatus');
            """)
        try fixture.seed("2026-05-20-fix-admin-roles", fixAdminRoles)
        try fixture.seed("2026-05-25-resolve-open", resolveAllIncidents(batch: 3))
        let report = try fixture.runner().dryRun(logger: quietLogger)
        #expect(report.clean)
        #expect(report.migrations.map(\.id) == ["2026-05-01-create", "2026-05-20-fix-admin-roles", "2026-05-25-resolve-open"])
        // fix-admin-roles sees the membership the first migration would create.
        #expect(report.migrations[1].events.count == 3)

        let before = try readModel(fixture.store)
        try fixture.up()
        let after = try readModel(fixture.store)
        let written = try fixture.store.read { db in
            try Row.fetchAll(db, sql: "SELECT migration_id, type, stream_id, stream_type, tenant_id, version, payload FROM events WHERE migration_id IS NOT NULL ORDER BY position")
                .map { "\($0["migration_id"] as String) \($0["type"] as String) \($0["stream_id"] as String) \($0["stream_type"] as String) \($0["tenant_id"] as String) v\($0["version"] as Int) \($0["payload"] as String)" }
        }
        let previewed = report.migrations.flatMap { preview in
            preview.events.map { "\(preview.id) \($0.type) \($0.streamId) \($0.streamType) \($0.tenantId) v\($0.version) \($0.payload)" }
        }
        #expect(previewed == written)
        #expect(applying(report.migrations.flatMap(\.changes), to: before) == after)
        #expect(difference(report.migrations[2].changes) == difference(
            applying(report.migrations[0].changes + report.migrations[1].changes, to: before), after))
        #expect(!report.migrations.flatMap(\.changes).isEmpty)
    }

    @Test("a preview limited to a few changes shows the first of them in table and key order, and counts them all",
          arguments: [1, 2, 3, 7, 40, 79, 80, 81])
    func limitedPreviewShowsTheFirstChangesInOrder(limit: Int) throws {
        let fixture = try Fixture()
        // 40 tenants and 40 users, their ids made in an order that is neither sorted nor the
        // changeset's own: two tables of changes, more than any limit below keeps at once.
        try fixture.seed("2026-06-01-many", """
            -- description: many tenants and users
            -- @write tenant:write:create
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)
            SELECT json_object('tenantId', 'lim-' || ((i * 17) % 41), 'slug', 'lim-' || ((i * 17) % 41), 'name', 'Tenant') AS payload
            FROM n WHERE NOT EXISTS (SELECT 1 FROM tenants WHERE id = 'lim-' || ((i * 17) % 41));
            -- @write user:write:register
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)
            SELECT json_object('userId', 'u-lim-' || ((i * 23) % 41), 'email', 'lim' || i || '@example.com', 'name', 'User') AS payload
            FROM n WHERE NOT EXISTS (SELECT 1 FROM users WHERE id = 'u-lim-' || ((i * 23) % 41));
            """)
        var everything = MigrateOptions()
        everything.previewLimit = 10_000
        let all = try #require(try fixture.runner().dryRun(options: everything, logger: quietLogger).migrations.first)
        #expect(all.changeCount == 80 && all.changes.count == 80)
        let inOrder = all.changes.sorted { ($0.table, $0.keyText) < ($1.table, $1.keyText) }
        #expect(all.changes.map { "\($0.table) \($0.keyText)" } == inOrder.map { "\($0.table) \($0.keyText)" })
        #expect(Set(all.changes.map(\.table)) == ["tenants", "users"])
        var limited = MigrateOptions()
        limited.previewLimit = limit
        let shown = try #require(try fixture.runner().dryRun(options: limited, logger: quietLogger).migrations.first)
        #expect(shown.changeCount == 80)
        #expect(shown.changes.map { "\($0.table) \($0.keyText) \($0.kind) \($0.orderedFields.map { "\($0.name)=\($0.field.new?.jsonText ?? "-")" })" }
            == all.changes.prefix(limit).map { "\($0.table) \($0.keyText) \($0.kind) \($0.orderedFields.map { "\($0.name)=\($0.field.new?.jsonText ?? "-")" })" })
    }

    @Test("after a dry-run the events and read tables are byte for byte what they were; only its run and log remain")
    func storeUnchanged() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-05-20-fix-admin-roles", fixAdminRoles)
        try fixture.seed("2026-05-25-resolve-open", resolveAllIncidents(batch: 2))
        let before = try storeChecksum(fixture.store)
        let runs = try fixture.count("SELECT count(*) FROM cairn_runs")
        let report = try fixture.runner().dryRun(logger: quietLogger)
        #expect(report.migrations.allSatisfy { !$0.events.isEmpty })
        #expect(try storeChecksum(fixture.store) == before)
        #expect(try fixture.count("SELECT count(*) FROM cairn_runs") == runs + 1)
        let run = try #require(try fixture.runner().history.run(report.runId))
        #expect(run.kind == .dryRun)
        #expect(try fixture.runner().history.lines(run: run.id).first?.message.hasPrefix("DRY RUN") == true)
        #expect(try fixture.count("SELECT count(*) FROM cairn_attempts") == 0)
    }

    @Test("every rejected row is reported, not only the first, with its row number, payload and error")
    func allRejections() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-06-01-bad-severities", """
            -- description: three incidents, two with a severity the handler refuses
            -- @write incident:write:open
            SELECT json_object('incidentId', 'i-x' || n, 'tenantId', 'acme', 'title', 't', 'severity', s) AS payload
            FROM (SELECT 1 AS n, 'apocalyptic' AS s UNION ALL SELECT 2, 'low' UNION ALL SELECT 3, 'meh')
            WHERE NOT EXISTS (SELECT 1 FROM incidents WHERE id = 'i-x' || n)
            ORDER BY n;
            """)
        let report = try fixture.runner().dryRun(logger: quietLogger)
        let preview = try #require(report.migrations.first)
        #expect(preview.rejections.map(\.row) == [1, 3])
        #expect(preview.rejections.allSatisfy { $0.error.contains("payload field 'severity' must be one of") })
        #expect(preview.rejections[0].payload.contains("apocalyptic"))
        #expect(preview.events.count == 1)
        #expect(preview.idempotent, "refused rows come back, but they were never written")
        #expect(!report.clean)
    }

    @Test("rows refused before rows that then resolve their incident do not cut a small-batch preview short", arguments: [1, 2, 3, 256])
    func refusedRowsThatVanishKeepThePreviewWhole(batch: Int) throws {
        let fixture = try Fixture()
        try fixture.seed("2026-07-07-refused-then-good", """
            -- description: each open incident: a refused row (no such tenant), then the good row
            -- batch: \(batch)
            -- @write incident:write:resolve
            SELECT payload FROM (
              SELECT id AS k, 1 AS o, json_object('incidentId', id, 'tenantId', 'nowhere') AS payload FROM incidents WHERE status = 'open'
              UNION ALL
              SELECT id, 2, json_object('incidentId', id, 'tenantId', tenant_id) FROM incidents WHERE status = 'open'
            ) ORDER BY k, o;
            -- @write incident:write:resolve
            SELECT json_object('incidentId', id, 'tenantId', tenant_id) AS payload FROM incidents WHERE status = 'open';
            """)
        let open = try fixture.count("SELECT count(*) FROM incidents WHERE status = 'open'")
        #expect(open > 3)
        let report = try fixture.runner().dryRun(logger: quietLogger)
        let preview = try #require(report.migrations.first)
        #expect(preview.idempotent, "\(preview.notIdempotent ?? "")")
        #expect(preview.eventCount == open)
        #expect(preview.rejectionCount == open)
        #expect(preview.rows == 2 * open)
    }

    @Test("a migration that is not idempotent is flagged")
    func flagsNonIdempotent() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-06-01-loop", """
            -- description: appends Viewer without checking
            -- @write tenant:write:update-member-roles
            SELECT json_object('userId', user_id, 'tenantId', tenant_id, 'roles', json_insert(roles, '$[#]', 'Viewer')) AS payload,
                   stream_tenant
            FROM memberships WHERE id = 'm-admin-acme';
            """)
        let report = try fixture.runner().dryRun(logger: quietLogger)
        let preview = try #require(report.migrations.first)
        #expect(!preview.idempotent)
        #expect(preview.notIdempotent?.contains("Viewer") == true)
        #expect(preview.rejections.isEmpty)
        #expect(!report.clean)
    }

    @Test("a dry-run validates first: a bad seed fails with the validation error and writes nothing")
    func validatesFirst() throws {
        let fixture = try Fixture()
        try fixture.seed("2026-06-01-writes", """
            -- description: tries to write
            -- @write incident:write:open
            UPDATE incidents SET status = 'open';
            """)
        let before = try storeChecksum(fixture.store)
        let error = #expect(throws: RunnerError.self) { try fixture.runner().dryRun(logger: quietLogger) }
        #expect(error?.exitCode == 2)
        #expect(try storeChecksum(fixture.store) == before)
    }

    @Test("upcast events: projections and the dry-run see the newest shape, the stored row keeps schema version 1")
    func upcastedEvents() throws {
        let fixture = try Fixture()
        let legacy = try fixture.store.read { db in
            try Row.fetchOne(db, sql: "SELECT stream_id, schema_version, payload FROM events WHERE type = 'incident.opened' AND schema_version = 1 ORDER BY position")!
        }
        let id: String = legacy["stream_id"]
        #expect(!(legacy["payload"] as String).contains("severity"))
        #expect(try fixture.store.read { db in try String.fetchOne(db, sql: "SELECT severity FROM incidents WHERE id = ?", arguments: [id]) } == "unknown")
        let current = try fixture.count("SELECT count(*) FROM events WHERE type = 'incident.opened' AND schema_version = 2")
        #expect(current > 0)
        // A handler loading the stream sees version 2; resolving it works through the upcaster.
        let stream = try fixture.store.write { transaction in try transaction.loadStream(id, tenant: legacy.tenant(of: fixture)) }
        #expect(stream.events.first?.schemaVersion == 2)
        #expect(try stream.events.first?.payloadObject()["severity"] == "unknown")
        // The dry-run of a migration that reads it shows the newest shape of what it writes.
        try fixture.seed("2026-06-01-reopen-copy", """
            -- description: open a copy of a legacy incident
            -- @write incident:write:open
            SELECT json_object('incidentId', 'copy-' || id, 'tenantId', tenant_id, 'title', title, 'severity', 'low') AS payload
            FROM incidents WHERE id = '\(id)' AND NOT EXISTS (SELECT 1 FROM incidents WHERE id = 'copy-\(id)');
            """)
        let preview = try #require(try fixture.runner().dryRun(logger: quietLogger).migrations.first)
        #expect(preview.events.first?.schemaVersion == 2)
        #expect(try fixture.count("SELECT schema_version FROM events WHERE stream_id = '\(id)'") == 1)
    }
}

extension Row {
    /// The tenant of a legacy incident row (read back from the store).
    fileprivate func tenant(of fixture: Fixture) throws -> String {
        let id: String = self["stream_id"]
        return try fixture.store.read { db in try String.fetchOne(db, sql: "SELECT tenant_id FROM events WHERE stream_id = ?", arguments: [id])! }
    }
}
