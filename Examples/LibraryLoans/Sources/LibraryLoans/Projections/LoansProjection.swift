import CairnStore

/// The `loans` read table: the books out now, who has them and until when.
public struct LoansProjection: Projection {
    public let name = "loans"
    public let version = 1
    public let tables = [ReadTable(
        name: "loans", columns: "book_id TEXT PRIMARY KEY, member_id TEXT NOT NULL, due_on TEXT NOT NULL",
        primaryKey: ["book_id"], indexes: [["member_id"]])]
    public let eventTypes: Set<String> = ["book.lent", "book.returned"]

    public init() {}

    public func apply(_ event: StoredEvent, in context: ProjectionContext) throws {
        let loans = context.table("loans")
        if event.type == "book.lent" {
            let lent = try event.decodePayload(as: LibraryEvents.BookLent.self)
            try context.execute("INSERT INTO \(loans) (book_id, member_id, due_on) VALUES (?, ?, ?)",
                                [lent.bookId, lent.memberId, lent.dueOn])
        } else {
            let returned = try event.decodePayload(as: LibraryEvents.BookReturned.self)
            try context.execute("DELETE FROM \(loans) WHERE book_id = ?", [returned.bookId])
        }
    }
}
