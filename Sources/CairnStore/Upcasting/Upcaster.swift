/// A pure function that lifts one event type's payload from `schema_version` N to N+1.
///
/// Upcasters run lazily, whenever an event is read (handlers loading streams,
/// projections, rebuilds, dry-run output); the stored event is never rewritten.
public struct Upcaster: Sendable {
    /// The event type it applies to.
    public let eventType: String
    /// The version it lifts from; the result is version `from + 1`.
    public let from: Int
    /// The lift itself.
    public let lift: @Sendable (Payload) throws -> Payload

    /// Creates an upcaster for `eventType` from version `from` to `from + 1`.
    public init(_ eventType: String, from: Int, _ lift: @escaping @Sendable (Payload) throws -> Payload) {
        precondition(from >= 1, "schema versions start at 1")
        self.eventType = eventType
        self.from = from
        self.lift = lift
    }
}

/// The upcasters of an application, chained per event type.
public struct UpcasterRegistry: Sendable {
    private let chains: [String: [Upcaster]]

    /// Registers upcasters; each event type's chain must run 1→2→3… without gaps or repeats.
    public init(_ upcasters: [Upcaster]) {
        var chains: [String: [Upcaster]] = [:]
        for upcaster in upcasters {
            chains[upcaster.eventType, default: []].append(upcaster)
        }
        for (type, chain) in chains {
            let sorted = chain.sorted { $0.from < $1.from }
            precondition(
                sorted.map(\.from) == Array(1...sorted.count),
                "the upcasters of \(type) must lift 1→2, 2→3, … without gaps or repeats; they lift from \(sorted.map(\.from))")
            chains[type] = sorted
        }
        self.chains = chains
        let few = chains.count <= Self.fewLimit
        self.fewTypes = few ? Array(chains.keys) : nil
        self.fewVersions = few ? chains.keys.map { chains[$0]!.count + 1 } : []
    }

    /// Up to this many event types with upcasters are looked up by comparing their names.
    private static let fewLimit = 8
    /// The event types with upcasters, when there are few: every stored event's type is
    /// looked up, and comparing a few names costs less than hashing it.
    private let fewTypes: [String]?
    /// The newest schema version of each of `fewTypes`, in the same order.
    private let fewVersions: [Int]

    /// The newest schema version of `eventType`: 1 when it has no upcasters.
    public func currentVersion(of eventType: String) -> Int {
        guard let fewTypes else { return (chains[eventType]?.count ?? 0) + 1 }
        for index in fewTypes.indices where fewTypes[index] == eventType {
            return fewVersions[index]
        }
        return 1
    }

    /// True when an event of `eventType` at `version` needs lifting.
    public func needsUpcast(_ eventType: String, from version: Int) -> Bool {
        version < currentVersion(of: eventType)
    }

    /// The payload lifted from `version` to the newest version of `eventType`.
    ///
    /// - Throws: `UpcastError` naming the event type and versions when a lift fails.
    public func upcast(_ payload: Payload, of eventType: String, from version: Int) throws -> Payload {
        guard let chain = chains[eventType], version <= chain.count else { return payload }
        var current = payload
        for upcaster in chain[(version - 1)...] {
            do {
                current = try upcaster.lift(current)
            } catch {
                throw UpcastError(eventType: eventType, from: upcaster.from, reason: "\(error)")
            }
        }
        return current
    }

    /// The event as handlers and projections see it: its payload in the newest shape.
    public func upcast(_ event: StoredEvent) throws -> StoredEvent {
        guard needsUpcast(event.type, from: event.schemaVersion) else { return event }
        let payload = try upcast(try Payload(parsing: event.payload), of: event.type, from: event.schemaVersion)
        return event.replacingPayload(payload, schemaVersion: currentVersion(of: event.type))
    }

    /// A registry with no upcasters.
    public static let none = UpcasterRegistry([])
}

/// An upcaster failed on a stored event.
public struct UpcastError: ExplainedError, Sendable {
    public let eventType: String
    public let from: Int
    public let reason: String

    public var summary: String {
        "the upcaster of \(eventType) from schema version \(from) to \(from + 1) failed: \(reason)"
    }

    public var remedy: String? { "fix the upcaster: stored events are never rewritten, so it must accept every old payload" }

    public var exitCode: Int32 { CairnExit.failed }
}
