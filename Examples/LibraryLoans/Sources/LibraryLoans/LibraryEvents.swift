/// The library's events, as `Codable` payloads: what a handler appends and a projection reads.
public enum LibraryEvents {
    /// `member.registered`: someone may borrow books.
    public struct MemberRegistered: Codable, Sendable, Equatable {
        public var memberId: String
        public var name: String
        public var email: String
    }

    /// `book.added`: a copy is on the shelf.
    public struct BookAdded: Codable, Sendable, Equatable {
        public var bookId: String
        public var title: String
        public var author: String
    }

    /// `book.retitled`: a typo or whitespace in the title was fixed.
    public struct BookRetitled: Codable, Sendable, Equatable {
        public var bookId: String
        public var title: String
    }

    /// `book.lent`: a member took the book home until `dueOn`.
    public struct BookLent: Codable, Sendable, Equatable {
        public var bookId: String
        public var memberId: String
        public var dueOn: String
        public var renewals: Int
    }

    /// `book.returned`: the book is back.
    public struct BookReturned: Codable, Sendable, Equatable {
        public var bookId: String
        public var memberId: String
        public var late: Bool
    }
}
