/// One cell of the screen: a character, how many cells it takes, and what it means.
///
/// A wide character (width 2) is followed by a continuation cell (width 0) that
/// the terminal layer does not draw.
public struct Cell: Sendable, Hashable {
    /// The grapheme cluster shown, already made safe for a terminal.
    public var character: Character
    /// 1 for most characters, 2 for wide ones, 0 for the cell a wide one covers.
    public var width: Int
    /// What the text means.
    public var role: StyleRole

    /// A cell.
    public init(character: Character, width: Int, role: StyleRole) {
        self.character = character
        self.width = width
        self.role = role
    }

    /// An empty cell in `role`.
    public static func blank(_ role: StyleRole = .normal) -> Cell {
        Cell(character: " ", width: 1, role: role)
    }
}
