import CairnDemo
import CairnStore
import Foundation
import GRDB
import Testing

/// A temporary folder removed when the value is deinitialised.
final class Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func store(_ name: String = "events.sqlite") throws -> EventStore {
        try EventStore(path: path(name), domain: DemoApplication.domain, mode: .createIfNeeded)
    }
}

private let admin = Actor(role: .admin, id: "test")

private func command(_ name: StaticString, _ payload: Payload, as actor: Actor = admin, streamTenant: String? = nil) -> Command {
    Command(QualifiedName(validated: name), payload: payload, actor: actor, streamTenant: streamTenant)
}

@Suite("Event store")
struct EventStoreTests {
    @Test("appends number versions per stream and positions globally, and projections follow in the same transaction")
    func appendsAndProjects() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        try store.execute(command("tenant:write:create", ["tenantId": "acme", "slug": "acme", "name": "Acme"]))
        try store.execute(command("user:write:register", ["userId": "u1", "email": "a@b.example", "name": "A"]))
        let added = try store.execute(command("tenant:write:add-member", [
            "membershipId": "m1", "userId": "u1", "tenantId": "acme", "roles": ["Member"],
        ]))
        let updated = try store.execute(command("tenant:write:update-member-roles", [
            "userId": "u1", "tenantId": "acme", "roles": ["Member", "Admin"],
        ]))
        #expect(added.map(\.version) == [1])
        #expect(updated.map(\.version) == [2])
        #expect(updated[0].position > added[0].position)
        #expect(updated[0].type == "tenant-membership.updated")
        #expect(updated[0].streamType == "tenant-membership")
        let roles = try store.read { db in try String.fetchOne(db, sql: "SELECT roles FROM memberships WHERE id = 'm1'") }
        #expect(roles == #"["Member","Admin"]"#)
        let checkpoints = try store.read { db in try Int64.fetchAll(db, sql: "SELECT checkpoint FROM cairn_projections") }
        #expect(checkpoints.allSatisfy { $0 == updated[0].position })
    }

    @Test("an append expecting an old version fails with a typed version conflict and writes nothing")
    func versionConflict() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        try store.execute(command("tenant:write:create", ["tenantId": "acme", "slug": "acme", "name": "Acme"]))
        #expect {
            try store.write { transaction in
                try transaction.append(
                    to: "acme", streamType: "tenant", tenant: "acme", expectedVersion: 0,
                    events: [NewEvent(type: "tenant.created", payload: ["tenantId": "acme", "slug": "acme2", "name": "Again"])])
            }
        } throws: { error in
            let conflict = error as? VersionConflict
            return conflict?.expectedVersion == 0 && conflict?.actualVersion == 1 && conflict?.owningTenant == nil
        }
        #expect(try store.headPosition() == 1)
    }

    @Test("a stream loaded in a transaction keeps its head through appends: a stale second append conflicts, a savepoint rolled back forgets it")
    func loadedHeadsFollowAppendsAndSavepoints() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        try store.execute(command("tenant:write:create", ["tenantId": "acme", "slug": "acme", "name": "Acme"]))
        let renamed = NewEvent(type: "tenant.renamed", payload: ["tenantId": "acme", "name": "Acme 2"])
        try store.write { transaction in
            let stream = try transaction.loadStream("acme", tenant: "acme")
            #expect(stream.version == 1)
            try transaction.append(to: "acme", streamType: "tenant", tenant: "acme", expectedVersion: 1, events: [renamed])
            // The same stale version again: the head moved with the first append.
            #expect {
                try transaction.append(to: "acme", streamType: "tenant", tenant: "acme", expectedVersion: 1, events: [renamed])
            } throws: { error in (error as? VersionConflict)?.actualVersion == 2 }
            // An append undone by its savepoint leaves the stream at 2, not at the 3 it had reached.
            struct Undo: Error {}
            #expect(throws: Undo.self) {
                try transaction.withSavepoint {
                    try transaction.append(to: "acme", streamType: "tenant", tenant: "acme", expectedVersion: 2, events: [renamed])
                    throw Undo()
                }
            }
            let appended = try transaction.append(
                to: "acme", streamType: "tenant", tenant: "acme", expectedVersion: 2, events: [renamed])
            #expect(appended.map(\.version) == [3])
            // Loaded in another tenant, the stream is invisible; appending there still names its owner.
            #expect(try transaction.loadStream("acme", tenant: "globex").isEmpty)
            #expect {
                try transaction.append(to: "acme", streamType: "tenant", tenant: "globex", expectedVersion: 0, events: [renamed])
            } throws: { error in (error as? VersionConflict)?.owningTenant == "acme" }
        }
        let versions = try store.read { db in try Int.fetchAll(db, sql: "SELECT version FROM events WHERE stream_id = 'acme' ORDER BY version") }
        #expect(versions == [1, 2, 3])
    }

    @Test("an append that stops half-way forgets the stream's head: the next append asks the store and goes on from what is there")
    func appendStoppedHalfWayForgetsTheHead() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        try store.execute(command("tenant:write:create", ["tenantId": "acme", "slug": "acme", "name": "Acme"]))
        let renamed = NewEvent(type: "tenant.renamed", payload: ["tenantId": "acme", "name": "Acme 2"])
        try store.write { transaction in
            #expect(try transaction.loadStream("acme", tenant: "acme").version == 1)
            // Version 3 written beside the store's appends: the second event of the next append meets it.
            try transaction.db.execute(sql: """
                INSERT INTO events (stream_id, stream_type, tenant_id, version, type, payload, recorded_at)
                VALUES ('acme', 'tenant', 'acme', 3, 'tenant.renamed', '{"tenantId":"acme","name":"beside"}', '2026-12-03T00:00:00.000Z')
                """)
            #expect {
                try transaction.append(to: "acme", streamType: "tenant", tenant: "acme", expectedVersion: 1, events: [renamed, renamed])
            } throws: { error in (error as? VersionConflict)?.actualVersion == 3 }
            // Version 2 went in before the conflict; the head known from the load (1) is gone, so
            // the store is asked, and says 3.
            let appended = try transaction.append(
                to: "acme", streamType: "tenant", tenant: "acme", expectedVersion: 3, events: [renamed])
            #expect(appended.map(\.version) == [4])
        }
        let versions = try store.read { db in try Int.fetchAll(db, sql: "SELECT version FROM events WHERE stream_id = 'acme' ORDER BY version") }
        #expect(versions == [1, 2, 3, 4])
    }

    @Test("a read-model statement with the wrong number of values, or SQL that is not SQL, fails in the transaction and writes nothing")
    func readModelStatementErrorsRollBack() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        try store.execute(command("tenant:write:create", ["tenantId": "acme", "slug": "acme", "name": "Acme"]))
        #expect {
            try store.write { transaction in
                try transaction.execute("UPDATE tenants SET name = ? WHERE id = ?", ["only one"])
            }
        } throws: { error in
            (error as? DatabaseError)?.resultCode == .SQLITE_MISUSE && "\(error)".contains("wrong number of statement arguments")
        }
        #expect(throws: DatabaseError.self) {
            try store.write { transaction in
                try transaction.execute("UPDATE tenants SET name = 'x'", [])
                _ = try transaction.fetchAll("SELEKT * FROM tenants", [])
            }
        }
        let name = try store.read { db in try String.fetchOne(db, sql: "SELECT name FROM tenants WHERE id = 'acme'") }
        #expect(name == "Acme")
        let rows = try store.write { transaction in
            try transaction.fetchAll("SELECT id, name, 1.5 AS ratio, NULL AS missing, x'00ff' AS bytes FROM tenants", [])
        }
        #expect(rows.count == 1)
        #expect(rows.first?.values == [.text("acme"), .text("Acme"), .double(1.5), .null, .blob([0, 255])])
    }

    @Test("text holding a NUL is refused wherever it would be bound into SQL: payload fields and keys, stream ids, tenants, event payloads and read-model arguments")
    func nulInTextIsRefusedEverywhere() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        try store.execute(command("tenant:write:create", ["tenantId": "acme", "slug": "acme", "name": "Acme"]))
        let head = try store.headPosition()
        func refusal(_ body: () throws -> Void) -> String? {
            do { try body() } catch let error as StoreError {
                if case .textHoldsNUL(let what) = error { return what }
                return "other: \(error)"
            } catch { return "other: \(error)" }
            return nil
        }
        #expect(refusal { try store.execute(command("tenant:write:create", ["tenantId": "b", "slug": "b", "name": "B\u{0}C"])) }
            == "payload field 'name'")
        #expect(refusal { try store.execute(command("tenant:write:create", ["tenantId": "b", "slug": "b", "name": "B", "x\u{0}": 1])) }
            == "a key of the payload")
        #expect(refusal { try store.execute(command("tenant:write:add-member", [
            "membershipId": "m1", "userId": "u1", "tenantId": "acme", "roles": ["Mem\u{0}ber"]])) } == "payload field 'roles[0]'")
        #expect(refusal { try store.execute(command("tenant:write:create", ["tenantId": "b", "slug": "b", "name": "B"], streamTenant: "a\u{0}")) }
            == "the stream tenant")
        #expect(refusal {
            _ = try store.write { transaction in
                try transaction.append(to: "s\u{0}x", streamType: "tenant", tenant: "acme", expectedVersion: 0,
                    events: [NewEvent(type: "tenant.created", payload: ["tenantId": "s", "slug": "s", "name": "S"])])
            }
        } == "the stream id")
        #expect(refusal {
            _ = try store.write { transaction in
                try transaction.append(to: "s", streamType: "tenant", tenant: "acme", expectedVersion: 0,
                    events: [NewEvent(type: "tenant.created", payload: ["tenantId": "s", "slug": "s", "name": ["a", "b\u{0}"]])])
            }
        } == "field 'name[1]' in the payload of a tenant.created event")
        #expect(refusal {
            try store.write { transaction in
                try SQLiteReadModel(transaction.db).execute("UPDATE tenants SET name = ? WHERE id = ?", ["cut\u{0}short", "acme"])
            }
        } == "argument 1 of a read-model statement")
        #expect(try store.headPosition() == head)
        let name = try store.read { db in try String.fetchOne(db, sql: "SELECT name FROM tenants WHERE id = 'acme'") }
        #expect(name == "Acme")
    }

    @Test("a stream that lives in another tenant is invisible there, and appending to it names the owning tenant")
    func streamTenantConflict() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        for tenant in ["acme", "globex"] {
            try store.execute(command("tenant:write:create", ["tenantId": .string(tenant), "slug": .string(tenant), "name": .string(tenant)]))
        }
        try store.execute(command("user:write:register", ["userId": "u1", "email": "a@b.example", "name": "A"]))
        try store.execute(command("tenant:write:add-member", [
            "membershipId": "m1", "userId": "u1", "tenantId": "globex", "roles": ["Admin"],
        ], streamTenant: "acme"))
        let streamTenant = try store.read { db in try String.fetchOne(db, sql: "SELECT stream_tenant FROM memberships") }
        #expect(streamTenant == "acme")
        #expect {
            try store.execute(command("tenant:write:update-member-roles", ["userId": "u1", "tenantId": "globex", "roles": ["Viewer"]]))
        } throws: { error in
            let conflict = error as? VersionConflict
            return conflict?.owningTenant == "acme" && conflict?.tenant == "globex" && conflict?.isWrongStreamTenant == true
        }
        let fixed = try store.execute(command(
            "tenant:write:update-member-roles", ["userId": "u1", "tenantId": "globex", "roles": ["Viewer"]], streamTenant: "acme"))
        #expect(fixed.first?.version == 2)
        #expect(fixed.first?.tenantId == "acme")
    }

    @Test("handler rejections name the payload field")
    func rejectionsNameField() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        #expect {
            try store.execute(command("tenant:write:create", ["tenantId": "acme", "name": "Acme"]))
        } throws: { error in
            (error as? HandlerRejection)?.description == "payload field 'slug' is required"
        }
        #expect {
            try store.execute(command("tenant:write:create", ["tenantId": "acme", "slug": 3, "name": "Acme"]))
        } throws: { error in
            (error as? HandlerRejection)?.description == "payload field 'slug' should be a string, got a number"
        }
    }

    @Test("unknown handlers suggest the closest name and access rules are enforced")
    func dispatchChecks() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        #expect {
            try store.execute(command("tenant:write:creat", ["tenantId": "acme"]))
        } throws: { error in
            (error as? StoreError) == .unknownHandler(name: "tenant:write:creat", suggestion: "tenant:write:create")
        }
        #expect {
            try store.execute(command("tenant:write:create", ["tenantId": "acme", "slug": "acme", "name": "A"], as: Actor(role: "viewer")))
        } throws: { error in
            if case .accessDenied(_, let role, _) = error as? StoreError { return role == "viewer" }
            return false
        }
    }

    @Test("qualified names must be context:write:kebab-verb", arguments: [
        ("tenant:write:update-member-roles", true), ("tenant:write:updateMemberRoles", false),
        ("tenant:read:list", false), ("tenant:write:", false), ("Tenant:write:x", false), ("a:write:b-", false),
    ])
    func qualifiedNames(text: String, valid: Bool) {
        #expect(((try? QualifiedName(text)) != nil) == valid)
    }

    @Test("opening a missing file without create fails naming the path, and creates nothing")
    func missingDatabase() throws {
        let scratch = try Scratch()
        let path = scratch.path("nope.sqlite")
        #expect(throws: StoreError.databaseNotFound(path: path)) {
            try EventStore(path: path, domain: DemoApplication.domain)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("a file that is not a database is refused and left byte-identical")
    func notADatabase() throws {
        let scratch = try Scratch()
        let path = scratch.path("notes.sqlite")
        let bytes = Data("these are notes, not a database\n".utf8)
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect {
            try EventStore(path: path, domain: DemoApplication.domain)
        } throws: { error in
            if case .notADatabase(let at, _) = error as? StoreError { return at == path }
            return false
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test("a database written by a newer Cairn is refused and left byte-identical")
    func newerSchema() throws {
        let scratch = try Scratch()
        let path = scratch.path("events.sqlite")
        do {
            let store = try scratch.store()
            try store.pool.write { db in
                try db.execute(sql: "UPDATE cairn_meta SET value = '99' WHERE key = 'schema_version'")
            }
            try store.pool.close()
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect {
            try EventStore(path: path, domain: DemoApplication.domain)
        } throws: { error in
            (error as? StoreError) == .newerSchema(path: path, found: 99, supported: 3)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test("an SQLite file without Cairn's tables is refused unless created explicitly")
    func plainSQLiteFile() throws {
        let scratch = try Scratch()
        let path = scratch.path("plain.sqlite")
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "CREATE TABLE t (x)") }
        try queue.close()
        #expect {
            try EventStore(path: path, domain: DemoApplication.domain)
        } throws: { error in
            if case .notADatabase(_, let detail) = error as? StoreError { return detail.contains("cairn init") }
            return false
        }
        _ = try EventStore(path: path, domain: DemoApplication.domain, mode: .createIfNeeded)
    }

    @Test("a transaction's read-model statements give each SQL text its own results, past the few it remembers, through a schema change")
    func readModelStatementsStayTheirOwnPastTheMemo() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        try store.pool.write { db in
            try db.execute(sql: "CREATE TABLE memo_probe (k INTEGER PRIMARY KEY, v INTEGER NOT NULL)")
            for k in 0..<20 { try db.execute(sql: "INSERT INTO memo_probe VALUES (?, ?)", arguments: [k, k * k]) }
        }
        try store.write { transaction in
            // Twenty texts in turn, five rounds: more than the memo keeps, so each round forgets and finds them again.
            for round in 0..<5 {
                for k in 0..<20 {
                    let row = try transaction.fetchOne("SELECT v + \(round) FROM memo_probe WHERE k = \(k)", [])
                    #expect(row?.values == [.int(Int64(k * k + round))])
                    let bound = try transaction.fetchOne("SELECT v FROM memo_probe WHERE k = ?", [(k + round) % 20])
                    #expect(bound?.values == [.int(Int64(((k + round) % 20) * ((k + round) % 20)))])
                }
                if round == 2 {
                    // The schema changes under the remembered statements: SQLite prepares them again.
                    try transaction.execute("ALTER TABLE memo_probe ADD COLUMN w INTEGER NOT NULL DEFAULT 7", [])
                    try transaction.execute("UPDATE memo_probe SET v = v", [])
                }
            }
            #expect(try transaction.fetchOne("SELECT w FROM memo_probe WHERE k = ?", [3])?.values == [.int(7)])
        }
    }

    @Test("an event type's newest schema version is the same whether the registry compares a few names or hashes many",
          arguments: [1, 3, 8, 9, 24])
    func upcasterVersionsAgreeAtAnyRegistrySize(_ types: Int) {
        var upcasters: [Upcaster] = []
        for type in 0..<types {
            for from in 1...(type % 3 + 1) { upcasters.append(Upcaster("kind-\(type).changed", from: from) { $0 }) }
        }
        let registry = UpcasterRegistry(upcasters)
        for type in 0..<types {
            let newest = type % 3 + 2
            #expect(registry.currentVersion(of: "kind-\(type).changed") == newest)
            #expect(registry.needsUpcast("kind-\(type).changed", from: newest - 1))
            #expect(!registry.needsUpcast("kind-\(type).changed", from: newest))
        }
        #expect(registry.currentVersion(of: "kind-\(types).changed") == 1)
        #expect(registry.currentVersion(of: "kind-0.changed ") == 1)
        #expect(registry.currentVersion(of: "") == 1)
        #expect(!registry.needsUpcast("unknown", from: 1))
    }

    @Test("JSON values round-trip with sorted keys, integers kept apart from doubles, control characters escaped")
    func jsonRoundTrip() throws {
        let value: JSONValue = ["b": [1, 2.5, true, nil], "a": "x\u{1B}y\n\"z\"", "n": 9007199254740993]
        let text = value.jsonText
        #expect(text == #"{"a":"x\u001by\n\"z\"","b":[1,2.5,true,null],"n":9007199254740993}"#)
        #expect(try JSONValue(parsing: text) == value)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: "{nope") }
    }
}
