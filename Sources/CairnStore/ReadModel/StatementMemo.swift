import GRDB

/// The few statements a transaction's read-model calls used last, found again by comparing
/// their SQL text instead of hashing it.
///
/// GRDB's statement cache hashes the whole SQL text on every lookup; a projection or a
/// handler runs the same two or three statements for every event, so a short list compared
/// byte for byte finds them for less (a tenth of a rebuild's hashing went there). The
/// statements come from GRDB's cache and stay valid while held; a memo lives no longer
/// than the transaction it was made for, as the backend's own statements do.
package final class StatementMemo {
    /// How many statements are remembered; the oldest is forgotten first.
    static let capacity = 8

    private var texts: [String] = []
    private var statements: [Statement] = []
    private var oldest = 0

    package init() {
        texts.reserveCapacity(Self.capacity)
        statements.reserveCapacity(Self.capacity)
    }

    /// The statement for `sql`: remembered, or GRDB's cached one, remembered from now on.
    func statement(_ sql: String, in db: Database) throws -> Statement {
        for index in texts.indices where texts[index] == sql {
            return statements[index]
        }
        let statement = try db.cachedStatement(sql: sql)
        if texts.count < Self.capacity {
            texts.append(sql)
            statements.append(statement)
        } else {
            texts[oldest] = sql
            statements[oldest] = statement
            oldest = (oldest + 1) % Self.capacity
        }
        return statement
    }
}
