import CairnStore

/// What a migration would do, found by applying it on a private copy of the store that is thrown away.
public struct MigrationPreview: Sendable {
    /// A candidate row its handler would refuse.
    public struct Rejection: Sendable, Hashable {
        /// The row, from 1, in its block.
        public let row: Int
        /// The block, from 1.
        public let block: Int
        public let handler: String
        public let payload: String
        public let error: String
        /// What to do, when Cairn can tell.
        public let advice: String?
    }

    public let id: String
    public let description: String
    /// True when previewing its `@down` blocks (a revert).
    public let reverting: Bool
    /// The events that would be appended, in order, as they would be stored: the first
    /// `MigrateOptions.previewLimit` of `eventCount`.
    public let events: [StoredEvent]
    /// The read-model rows that would change: the first `previewLimit` of `changeCount`, in table and key order.
    public let changes: [RowChange]
    /// The rows the handlers would refuse: the first `previewLimit` of `rejectionCount`.
    public let rejections: [Rejection]
    /// How many events it would append.
    public let eventCount: Int
    /// How many read-model rows would change.
    public let changeCount: Int
    /// How many rows the handlers would refuse.
    public let rejectionCount: Int
    /// Candidate rows seen.
    public let rows: Int
    /// How many events of each type it would append (all of them, not only those shown).
    public let eventTypes: [String: Int]
    /// How many rows of each read table it would insert, update and delete (all of them).
    public let tables: [String: ChangeTally]
    /// Why the migration is not idempotent (its candidate query still returns rows after its writes), or nil.
    public let notIdempotent: String?

    /// True when the candidate query returns nothing after the migration's own writes.
    public var idempotent: Bool { notIdempotent == nil }
    /// True when it would apply cleanly: no rejection, idempotent.
    public var clean: Bool { rejectionCount == 0 && idempotent }

    /// True when some events, changes or rejections were counted but not kept.
    public var capped: Bool {
        events.count < eventCount || changes.count < changeCount || rejections.count < rejectionCount
    }
}

/// The result of a dry-run: one preview per migration, in run order.
public struct DryRunReport: Sendable {
    /// The dry-run's run record.
    public let runId: Int64
    public let migrations: [MigrationPreview]
    /// Migrations that would be skipped, with why.
    public let skipped: [(id: String, skip: SkipInfo)]

    /// True when every previewed migration would apply cleanly.
    public var clean: Bool { migrations.allSatisfy(\.clean) }
}
