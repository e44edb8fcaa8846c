/// How many rows of one read table a preview would insert, update and delete.
public struct ChangeTally: Sendable, Hashable {
    /// Rows that would be inserted.
    public var inserted = 0
    /// Rows that would be updated.
    public var updated = 0
    /// Rows that would be deleted.
    public var deleted = 0

    /// Creates a tally.
    public init(inserted: Int = 0, updated: Int = 0, deleted: Int = 0) {
        self.inserted = inserted
        self.updated = updated
        self.deleted = deleted
    }

    /// Every row counted.
    public var total: Int { inserted + updated + deleted }

    /// Counts one change of `kind`.
    mutating func count(_ kind: RowChange.Kind) {
        switch kind {
        case .insert: inserted += 1
        case .update: updated += 1
        case .delete: deleted += 1
        }
    }
}
