import CairnRunner
import CairnStore
import Foundation

/// Builds the demo environment through the demo's handlers.
///
/// Every size has the platform admin `admin@publicstatus.eu` as `["Admin"]` in
/// tenants acme and globex, and its globex membership lives in acme's stream:
/// the stream-tenant trap. The data is the same for the same size on every run.
public struct DemoGenerator: DemoBuilder {
    /// The platform admin's user id.
    public static let adminUserId = "u-admin"
    /// The platform admin's email.
    public static let adminEmail = "admin@publicstatus.eu"
    /// The membership whose stream lives in another tenant than its payload's.
    public static let trappedMembershipId = "m-admin-globex"

    /// How much data a size holds.
    struct Shape {
        let tenants: Int
        let users: Int
        let secondMembershipEvery: Int
        let incidents: Int
        let resolveEvery: Int
        let roleUpdates: Int
    }

    public init() {}

    static func shape(of size: DemoSize) -> Shape {
        switch size {
        case .small: return Shape(tenants: 3, users: 50, secondMembershipEvery: 2, incidents: 30, resolveEvery: 3, roleUpdates: 10)
        case .medium: return Shape(tenants: 20, users: 2_000, secondMembershipEvery: 2, incidents: 1_500, resolveEvery: 3, roleUpdates: 300)
        case .large: return Shape(tenants: 200, users: 50_000, secondMembershipEvery: 2, incidents: 50_000, resolveEvery: 2, roleUpdates: 12_000)
        }
    }

    public func build(into store: any EventStoring, size: DemoSize, progress: (String) -> Void) throws -> String {
        let shape = DemoGenerator.shape(of: size)
        var random = SplitMix64(seed: 20260520)
        let actor = Actor(role: .admin, id: "demo-generator")
        var steps: [Step] = []
        func command(_ name: StaticString, _ payload: Payload, streamTenant: String? = nil) {
            steps.append(.command(Command(QualifiedName(validated: name), payload: payload, actor: actor, streamTenant: streamTenant)))
        }

        let tenants = (0..<shape.tenants).map(DemoGenerator.tenant(number:))
        for tenant in tenants {
            command("tenant:write:create", ["tenantId": .string(tenant.id), "slug": .string(tenant.id), "name": .string(tenant.name)])
        }
        command("user:write:register", ["userId": .string(DemoGenerator.adminUserId), "email": .string(DemoGenerator.adminEmail), "name": "Platform Admin"])
        command("tenant:write:add-member", [
            "membershipId": "m-admin-acme", "userId": .string(DemoGenerator.adminUserId), "tenantId": "acme", "roles": ["Admin"],
        ])
        // The trap: the admin's globex membership was written while acting in acme,
        // so its stream lives in acme although its payload says globex.
        command("tenant:write:add-member", [
            "membershipId": .string(DemoGenerator.trappedMembershipId), "userId": .string(DemoGenerator.adminUserId),
            "tenantId": "globex", "roles": ["Admin"],
        ], streamTenant: "acme")

        var memberships: [(user: String, tenant: String)] = []
        for index in 1...shape.users {
            let user = String(format: "u-%05d", index)
            let first = DemoGenerator.firstNames[random.next(DemoGenerator.firstNames.count)]
            let last = DemoGenerator.lastNames[random.next(DemoGenerator.lastNames.count)]
            command("user:write:register", [
                "userId": .string(user), "email": .string("\(first.lowercased()).\(last.lowercased()).\(index)@example.com"),
                "name": .string("\(first) \(last)"),
            ])
            var homes = [tenants[random.next(tenants.count)].id]
            if index % shape.secondMembershipEvery == 0 {
                let second = tenants[random.next(tenants.count)].id
                if second != homes[0] { homes.append(second) }
            }
            for tenant in homes {
                let roles: [JSONValue] = index % 17 == 0 ? ["Admin"] : (random.next(4) == 0 ? ["Member", "Responder"] : ["Member"])
                let membership = "m-\(tenant)-\(user)"
                command("tenant:write:add-member", [
                    "membershipId": .string(membership), "userId": .string(user), "tenantId": .string(tenant), "roles": .array(roles),
                ])
                memberships.append((user, tenant))
            }
        }
        for _ in 0..<shape.roleUpdates {
            let target = memberships[random.next(memberships.count)]
            let roles: [JSONValue] = random.next(3) == 0 ? ["Member", "Viewer"] : ["Member", "Responder"]
            command("tenant:write:update-member-roles", [
                "userId": .string(target.user), "tenantId": .string(target.tenant), "roles": .array(roles),
            ])
        }
        let severities = ["low", "low", "low", "medium", "medium", "medium", "medium", "high", "high", "critical"]
        for index in 1...shape.incidents {
            let tenant = tenants[random.next(tenants.count)].id
            let incident = String(format: "i-%05d", index)
            let title = DemoGenerator.incidentTitles[random.next(DemoGenerator.incidentTitles.count)]
            if index % 10 == 1 {
                // Imported from the old tracker: written by an earlier version of the
                // application, at schema version 1, before incidents had a severity.
                steps.append(.legacy(
                    streamId: incident, streamType: DemoStreams.incident, tenant: tenant,
                    event: NewEvent(type: DemoEvents.incidentOpened, payload: [
                        "incidentId": .string(incident), "tenantId": .string(tenant), "title": .string(title),
                    ], schemaVersion: 1)))
                continue
            }
            command("incident:write:open", [
                "incidentId": .string(incident), "tenantId": .string(tenant), "title": .string(title),
                "severity": .string(severities[random.next(severities.count)]),
            ])
            if index % shape.resolveEvery == 0 {
                command("incident:write:resolve", ["incidentId": .string(incident), "tenantId": .string(tenant)])
            }
        }

        var events = 0
        let chunk = 2_000
        for start in stride(from: 0, to: steps.count, by: chunk) {
            let slice = steps[start..<min(start + chunk, steps.count)]
            events += try store.write { transaction in
                var appended = 0
                for step in slice {
                    switch step {
                    case .command(let command):
                        appended += try transaction.dispatch(command).count
                    case .legacy(let streamId, let streamType, let tenant, let event):
                        appended += try transaction.append(
                            to: streamId, streamType: streamType, tenant: tenant, expectedVersion: 0, events: [event]).count
                    }
                }
                return appended
            }
            if steps.count > chunk {
                progress("\(min(start + chunk, steps.count))/\(steps.count) commands")
            }
        }
        return "\(size.rawValue) demo: \(tenants.count) tenants, \(shape.users + 1) users, \(memberships.count + 2) memberships,"
            + " \(shape.incidents) incidents — \(events) events written through the handlers."
            + " \(DemoGenerator.adminEmail) is Admin in acme and globex; membership \(DemoGenerator.trappedMembershipId)"
            + " (tenant globex) lives in acme's stream; one incident in ten was imported at schema version 1."
    }

    /// The id and name of the tenant with the given number (0-based).
    static func tenant(number: Int) -> (id: String, name: String) {
        if number < tenantNames.count {
            let name = tenantNames[number]
            return (name.lowercased().replacingOccurrences(of: " ", with: "-"), name)
        }
        return (String(format: "t-%03d", number + 1), String(format: "Tenant %03d", number + 1))
    }

    static let tenantNames = [
        "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Wonka", "Cyberdyne", "Soylent",
        "Tyrell", "Aperture", "Black Mesa", "Vandelay", "Oceanic", "Massive Dynamic", "Dunder Mifflin",
        "Pied Piper", "Monarch", "Gringotts",
    ]
    static let firstNames = [
        "Ada", "Grace", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "Edsger", "Radia",
        "Donald", "Hedy", "Alan", "Katherine", "John", "Sophie", "Tim", "Joan", "Niklaus", "Anita",
    ]
    static let lastNames = [
        "Lovelace", "Hopper", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie", "Allen", "Dijkstra",
        "Perlman", "Knuth", "Lamarr", "Turing", "Johnson", "McCarthy", "Wilson", "Berners-Lee", "Clarke",
        "Wirth", "Borg",
    ]
    static let incidentTitles = [
        "API latency above SLO", "Status page not updating", "Login failures in EU region",
        "Webhook deliveries delayed", "Certificate expires in 7 days", "DNS resolution errors",
        "Elevated 5xx on checkout", "Queue backlog growing", "Database failover", "Email notifications bouncing",
    ]
}

/// One thing the demo builder does: a command through a handler, or an event as an
/// older version of the application wrote it.
enum Step {
    case command(Command)
    case legacy(streamId: String, streamType: String, tenant: String, event: NewEvent)
}

/// A small deterministic random number generator, so demo data is the same on every run.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A number in `0..<bound`.
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(bound))
    }
}
