import CairnRunner
import CairnStore

/// The library as Cairn sees it: five handlers, three projections, and the name of its command line.
public enum LibraryApplication {
    /// The application, for the boot, the `library-cairn` command line and the tests.
    public static let application = CairnApplication(
        name: "library",
        handlers: [RegisterMember(), AddBook(), RetitleBook(), LendBook(), ReturnBook()],
        projections: [MembersProjection(), BooksProjection(), LoansProjection()],
        commandName: "library-cairn")

    /// The role the desk staff act as.
    public static let librarian: Role = "librarian"
}
