import GRDB

/// Where a projection stands: its code version against the stored one, and how far it has folded.
public struct ProjectionState: Sendable, Hashable {
    /// The projection's name.
    public let name: String
    /// The version of the projection's code.
    public let codeVersion: Int
    /// The version its tables were built with, or nil when it was never registered.
    public let storedVersion: Int?
    /// The position of the last event folded into its tables.
    public let checkpoint: Int64
    /// The position of the newest event.
    public let head: Int64
    /// When it was last rebuilt.
    public let rebuiltAt: String?

    /// Why its tables cannot be trusted, or nil when they are current.
    public var staleReason: String? {
        if let storedVersion, storedVersion != codeVersion {
            return "its code is version \(codeVersion), its tables were built by version \(storedVersion)"
        }
        if storedVersion == nil { return "it was never built" }
        if checkpoint < head { return "it has folded events up to \(checkpoint) of \(head)" }
        return nil
    }

    /// True when its tables need a rebuild.
    public var isStale: Bool { staleReason != nil }
}

extension ProjectionState {
    /// The state of each of `projections`, in their order, from the ledger's `records` and the store's `head`.
    package static func states(of projections: [any Projection], records: [ProjectionRecord], head: Int64) -> [ProjectionState] {
        let stored = Dictionary(records.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return projections.map { projection in
            let record = stored[projection.name]
            return ProjectionState(
                name: projection.name, codeVersion: projection.version, storedVersion: record?.version,
                checkpoint: record?.checkpoint ?? 0, head: head, rebuiltAt: record?.rebuiltAt)
        }
    }
}

extension EventStore {
    /// The state of every registered projection, in registration order.
    public func projectionStates() throws -> [ProjectionState] {
        try read { db in
            let head = try Int64.fetchOne(db, sql: "SELECT max(position) FROM events") ?? 0
            return ProjectionState.states(of: domain.projections, records: try SQLiteLedger(db).projectionRecords(), head: head)
        }
    }
}
