import CairnStore

/// `library:write:lend-book`: a member takes a book that is on the shelf.
public struct LendBook: CommandHandler {
    public let name = QualifiedName(validated: "library:write:lend-book")
    public let access = AccessRule.roles(LibraryApplication.librarian, .system)

    public init() {}

    public func handle(_ payload: Payload, in context: HandlerContext) throws {
        let memberId = try payload.string("memberId")
        let bookId = try payload.string("bookId")
        let dueOn = try payload.string("dueOn")
        guard try context.exists("SELECT 1 FROM members WHERE id = ?", [memberId]) else {
            throw HandlerRejection(field: "memberId", reason: "there is no member \(memberId)")
        }
        let stream = try context.load("book-\(bookId)")
        guard !stream.isEmpty else { throw HandlerRejection(field: "bookId", reason: "there is no book \(bookId)") }
        if let borrower = try context.scalar("SELECT member_id FROM loans WHERE book_id = ?", [bookId])?.string {
            throw HandlerRejection(field: "bookId", reason: "\(bookId) is lent to \(borrower)")
        }
        let lent = LibraryEvents.BookLent(bookId: bookId, memberId: memberId, dueOn: dueOn, renewals: 0)
        try context.append([try NewEvent(type: "book.lent", encoding: lent)], to: stream, streamType: "book")
    }
}
