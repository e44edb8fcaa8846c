import CairnStore

/// Sample data for the example: 50 members, 400 books, 400 loans and 200 returns (1,050
/// events), written through the handlers, as the desk would.
public enum LibrarySample {
    /// Fills an empty store; a store that already has members is left alone.
    public static func fill(_ store: any EventStoring) async throws {
        let existing = try await store.query { model in try model.scalar("SELECT count(*) FROM members")?.int ?? 0 }
        guard existing == 0 else { return }
        let desk = Actor(role: LibraryApplication.librarian, id: "desk-1")
        for number in 1...50 {
            let member = LibraryEvents.MemberRegistered(
                memberId: "m\(number)", name: "Member \(number)", email: "member\(number)@library.example")
            try await store.execute(Command(
                QualifiedName(validated: "library:write:register-member"), payload: try Payload(encoding: member), actor: desk))
        }
        for number in 1...400 {
            // Every tenth title came in from the old catalogue with a trailing space: a seed fixes it.
            let book = LibraryEvents.BookAdded(
                bookId: "b\(number)", title: "Book \(number)" + (number % 10 == 0 ? " " : ""), author: "Author \(number % 37)")
            try await store.execute(Command(
                QualifiedName(validated: "library:write:add-book"), payload: try Payload(encoding: book), actor: desk))
        }
        for number in 1...400 {
            let member = "m\(number % 50 + 1)"
            let lend: Payload = ["bookId": .string("b\(number)"), "memberId": .string(member),
                                 "dueOn": .string(number % 4 == 0 ? "2025-12-01" : "2027-01-15")]
            try await store.execute(Command(QualifiedName(validated: "library:write:lend-book"), payload: lend, actor: desk))
            if number % 2 == 1 {
                try await store.execute(Command(
                    QualifiedName(validated: "library:write:return-book"), payload: ["bookId": .string("b\(number)")], actor: desk))
            }
        }
    }
}
