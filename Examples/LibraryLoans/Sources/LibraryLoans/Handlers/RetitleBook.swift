import CairnStore

/// `library:write:retitle-book`: fixes a book's title (the seeds use it for whitespace fixes).
public struct RetitleBook: CommandHandler {
    public let name = QualifiedName(validated: "library:write:retitle-book")
    public let access = AccessRule.roles(LibraryApplication.librarian, .system)

    public init() {}

    public func handle(_ payload: Payload, in context: HandlerContext) throws {
        let change = try payload.decode(LibraryEvents.BookRetitled.self)
        guard !change.title.isEmpty else { throw HandlerRejection(field: "title", reason: "must not be empty") }
        let stream = try context.load("book-\(change.bookId)")
        guard !stream.isEmpty else { throw HandlerRejection(field: "bookId", reason: "there is no book \(change.bookId)") }
        try context.append([try NewEvent(type: "book.retitled", encoding: change)], to: stream, streamType: "book")
    }
}
