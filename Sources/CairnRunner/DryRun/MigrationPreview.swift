import CairnStore

/// What a migration would do, found by applying it in a transaction that is rolled back.
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
    /// The events that would be appended, in order, as they would be stored.
    public let events: [StoredEvent]
    /// The read-model rows that would change.
    public let changes: [RowChange]
    /// Every row the handlers would refuse.
    public let rejections: [Rejection]
    /// Candidate rows seen.
    public let rows: Int
    /// Why the migration is not idempotent (its candidate query still returns rows after its writes), or nil.
    public let notIdempotent: String?

    /// True when the candidate query returns nothing after the migration's own writes.
    public var idempotent: Bool { notIdempotent == nil }
    /// True when it would apply cleanly: no rejection, idempotent.
    public var clean: Bool { rejections.isEmpty && idempotent }
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
