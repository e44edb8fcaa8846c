import ArgumentParser
import CairnDemo
import CairnStore
import Foundation
import CairnRunner

/// `app-writer`: an application process that writes through the handlers while migrations run.
///
/// It updates membership roles with the version it read a moment before (so a
/// migration writing the same stream makes it conflict) and opens incidents;
/// it records every event it appended, every version conflict and any other error.
struct AppWriterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "app-writer", shouldDisplay: false)

    @Option var db: String
    @Option var stop: String
    @Option var report: String

    func run() throws {
        // An SQLite file or a postgres:// URL: the application writes through the store-neutral API.
        let store = try StoreOpener.open(db, domain: DemoApplication.domain)
        defer { store.close() }
        let actor = Actor(role: .admin, id: "app-writer")
        let memberships = try store.query { model in
            try model.fetchAll("SELECT user_id, tenant_id FROM memberships ORDER BY id")
                .map { ($0["user_id"]?.string ?? "", $0["tenant_id"]?.string ?? "") }
        }
        var random = SeededRandom(UInt64(getpid()))
        var appended: [Int64] = []
        var conflicts = 0
        var errors: [String] = []
        var sequence = 0
        var worstWait: TimeInterval = 0
        func timed<T>(_ body: () throws -> T) rethrows -> T {
            let started = Date()
            defer { worstWait = max(worstWait, Date().timeIntervalSince(started)) }
            return try body()
        }
        while !FileManager.default.fileExists(atPath: stop) {
            sequence += 1
            do {
                if sequence % 4 == 0 {
                    let tenant = memberships[Int(random.unit() * Double(memberships.count))].1
                    let events = try timed { try store.execute(Command(QualifiedName(validated: "incident:write:open"), payload: [
                        "incidentId": .string("i-app-\(getpid())-\(sequence)"), "tenantId": .string(tenant),
                        "title": "written by the application", "severity": "high",
                    ], actor: actor)) }
                    appended += events.map(\.position)
                    continue
                }
                let (user, tenant) = memberships[Int(random.unit() * Double(memberships.count))]
                // Read the membership and its stream's version outside any transaction, as a
                // request handler would, then write with that version a moment later.
                let seen = try store.query { model -> (roles: [String], version: Int, streamTenant: String)? in
                    guard let row = try model.fetchOne(
                        "SELECT id, roles, stream_tenant FROM memberships WHERE user_id = ? AND tenant_id = ?", [user, tenant])
                    else { return nil }
                    let version = try model.scalar(
                        "SELECT max(version) FROM events WHERE stream_id = ?", [row["id"]?.string ?? ""])?.int ?? 0
                    let roles = try JSONValue(parsing: row["roles"]?.string ?? "[]").arrayValue?.compactMap(\.stringValue) ?? []
                    return (roles, Int(version), row["stream_tenant"]?.string ?? "")
                }
                guard let seen else { continue }
                Thread.sleep(forTimeInterval: random.unit() * 0.004)
                var roles = seen.roles.filter { $0 != "Responder" }
                if !seen.roles.contains("Responder") { roles.append("Responder") }
                let events = try timed { try store.execute(Command(QualifiedName(validated: "tenant:write:update-member-roles"), payload: [
                    "userId": .string(user), "tenantId": .string(tenant), "roles": .array(roles.map(JSONValue.string)),
                    "expectedVersion": .int(Int64(seen.version)),
                ], actor: actor, streamTenant: seen.streamTenant)) }
                appended += events.map(\.position)
            } catch is VersionConflict {
                conflicts += 1
            } catch {
                errors.append("\(error)")
            }
        }
        let text = JSONValue.object([
            "appended": .array(appended.map(JSONValue.int)), "conflicts": .int(Int64(conflicts)),
            "errors": .array(errors.prefix(20).map(JSONValue.string)), "errorCount": .int(Int64(errors.count)),
            "worstWaitMs": .int(Int64(worstWait * 1000)),
        ]).jsonText
        try text.write(toFile: report, atomically: true, encoding: .utf8)
    }
}
