/// One row of a detail pane: its text, what it means, and the whole item `enter` opens
/// when the row stands for more than fits (an event with its payload, a row with every field).
public struct DetailLine: Sendable, Equatable {
    /// What `enter` opens: a title and the item's full text, pretty-printed when it is JSON.
    public struct Whole: Sendable, Equatable {
        public var title: String
        public var text: String

        public init(title: String, text: String) {
            self.title = title
            self.text = text
        }
    }

    public var text: String
    public var role: StyleRole
    /// A section heading, drawn as a rule with its label (`── events 5,923 ──`).
    public var heading: Bool
    public var whole: Whole?
    /// Set on the row that loads more of a paged list when opened (the events written).
    public var loadsMore: Bool

    public init(_ text: String, _ role: StyleRole = .normal, heading: Bool = false, whole: Whole? = nil, loadsMore: Bool = false) {
        self.text = text
        self.role = role
        self.heading = heading
        self.whole = whole
        self.loadsMore = loadsMore
    }

    /// A section heading.
    public static func heading(_ label: String) -> DetailLine {
        DetailLine(label, .title, heading: true)
    }
}
