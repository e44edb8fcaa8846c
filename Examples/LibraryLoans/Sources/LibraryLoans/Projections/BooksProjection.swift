import CairnStore

/// The `books` read table: every book, its title and how often it was lent.
public struct BooksProjection: Projection {
    public let name = "books"
    public let version = 1
    public let tables = [ReadTable(
        name: "books", columns: "id TEXT PRIMARY KEY, title TEXT NOT NULL, author TEXT NOT NULL, times_lent INTEGER NOT NULL",
        primaryKey: ["id"])]
    public let eventTypes: Set<String> = ["book.added", "book.retitled", "book.lent"]

    public init() {}

    public func apply(_ event: StoredEvent, in context: ProjectionContext) throws {
        let books = context.table("books")
        switch event.type {
        case "book.added":
            let book = try event.decodePayload(as: LibraryEvents.BookAdded.self)
            try context.execute("INSERT INTO \(books) (id, title, author, times_lent) VALUES (?, ?, ?, 0)",
                                [book.bookId, book.title, book.author])
        case "book.retitled":
            let change = try event.decodePayload(as: LibraryEvents.BookRetitled.self)
            try context.execute("UPDATE \(books) SET title = ? WHERE id = ?", [change.title, change.bookId])
        default:
            let lent = try event.decodePayload(as: LibraryEvents.BookLent.self)
            try context.execute("UPDATE \(books) SET times_lent = times_lent + 1 WHERE id = ?", [lent.bookId])
        }
    }
}
