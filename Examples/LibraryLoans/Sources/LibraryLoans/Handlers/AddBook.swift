import CairnStore

/// `library:write:add-book`: a book goes on the shelf.
public struct AddBook: CommandHandler {
    public let name = QualifiedName(validated: "library:write:add-book")
    public let access = AccessRule.roles(LibraryApplication.librarian, .system)

    public init() {}

    public func handle(_ payload: Payload, in context: HandlerContext) throws {
        let book = try payload.decode(LibraryEvents.BookAdded.self)
        let stream = try context.load("book-\(book.bookId)")
        guard stream.isEmpty else { throw HandlerRejection(field: "bookId", reason: "\(book.bookId) is already on the shelf") }
        try context.append([try NewEvent(type: "book.added", encoding: book)], to: stream, streamType: "book")
    }
}
