import CairnStore

/// `library:write:return-book`: a lent book comes back, late or not.
public struct ReturnBook: CommandHandler {
    public let name = QualifiedName(validated: "library:write:return-book")
    public let access = AccessRule.roles(LibraryApplication.librarian, .system)

    public init() {}

    public func handle(_ payload: Payload, in context: HandlerContext) throws {
        let bookId = try payload.string("bookId")
        let late = try payload.optionalBool("late") ?? false
        guard let loan = try context.fetchOne("SELECT member_id FROM loans WHERE book_id = ?", [bookId]) else {
            throw HandlerRejection(field: "bookId", reason: "\(bookId) is not lent")
        }
        let stream = try context.load("book-\(bookId)")
        let returned = LibraryEvents.BookReturned(bookId: bookId, memberId: try loan.string("member_id"), late: late)
        try context.append([try NewEvent(type: "book.returned", encoding: returned)], to: stream, streamType: "book")
    }
}
