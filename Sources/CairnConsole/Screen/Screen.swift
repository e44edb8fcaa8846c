import CairnText

/// An in-memory grid of cells: the console renders into it, tests read it as
/// text, and the terminal layer draws it.
///
/// Every string put on it is made inert first (control characters and escape
/// sequences become visible text), and wide characters never overflow a region:
/// one that would straddle the region's edge is replaced by a space.
public struct Screen: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    /// A blank screen.
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank(), count: self.width * self.height)
    }

    /// The cell at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Fills a rectangle with blanks in `role`.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, role: StyleRole = .normal) {
        for row in max(0, y)..<min(height, y + h) {
            for column in max(0, x)..<min(width, x + w) {
                self[column, row] = .blank(role)
            }
        }
    }

    /// Writes `text` at (`x`, `y`), clipped to `limit` cells (default: to the right edge),
    /// and returns the number of cells used.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: StyleRole = .normal, limit: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let end = min(width, x + (limit ?? width))
        var column = x
        for character in TerminalSafe.inert(text).flatMap(DisplayWidth.parts) {
            let cellWidth = DisplayWidth.of(character)
            if cellWidth == 0 {
                continue
            }
            if column + cellWidth > end {
                if column < end, column >= 0 { set(.blank(role), x: column, y: y) }
                break
            }
            if column >= 0 {
                set(Cell(character: character, width: cellWidth, role: role), x: column, y: y)
                if cellWidth == 2 {
                    set(Cell(character: " ", width: 0, role: role), x: column + 1, y: y)
                }
            }
            column += cellWidth
        }
        return max(0, column - x)
    }

    /// Sets one cell, mending a wide character it cuts in half (the other half becomes a blank).
    private mutating func set(_ cell: Cell, x: Int, y: Int) {
        let old = self[x, y]
        if old.width == 0, cell.width != 0, x > 0, self[x - 1, y].width == 2 {
            self[x - 1, y] = .blank(self[x - 1, y].role)
        }
        if old.width == 2, cell.width != 2, x + 1 < width {
            self[x + 1, y] = .blank(old.role)
        }
        self[x, y] = cell
    }

    /// Writes `text` clipped to `limit` cells, ending with "…" when it was cut.
    @discardableResult
    public mutating func putTruncated(_ text: String, x: Int, y: Int, role: StyleRole = .normal, limit: Int) -> Int {
        guard limit > 0 else { return 0 }
        let safe = TerminalSafe.inert(text)
        if DisplayWidth.of(safe) <= limit {
            return put(safe, x: x, y: y, role: role, limit: limit)
        }
        let used = put(Screen.prefix(safe, width: limit - 1), x: x, y: y, role: role, limit: limit - 1)
        return used + put("…", x: x + used, y: y, role: role, limit: 1)
    }

    /// Sets the role of the cells in a row range without changing their characters.
    public mutating func paint(x: Int, y: Int, width w: Int, role: StyleRole) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<min(width, x + w) {
            self[column, y].role = role
        }
    }

    /// Draws a box's border with light lines.
    public mutating func box(x: Int, y: Int, width w: Int, height h: Int, role: StyleRole = .border) {
        guard w >= 2, h >= 2 else { return }
        horizontal(x: x + 1, y: y, length: w - 2, role: role)
        horizontal(x: x + 1, y: y + h - 1, length: w - 2, role: role)
        for row in (y + 1)..<(y + h - 1) {
            put("│", x: x, y: row, role: role)
            put("│", x: x + w - 1, y: row, role: role)
        }
        put("┌", x: x, y: y, role: role)
        put("┐", x: x + w - 1, y: y, role: role)
        put("└", x: x, y: y + h - 1, role: role)
        put("┘", x: x + w - 1, y: y + h - 1, role: role)
    }

    /// Draws a horizontal line.
    public mutating func horizontal(x: Int, y: Int, length: Int, role: StyleRole = .border) {
        for column in x..<max(x, x + length) { put("─", x: column, y: y, role: role) }
    }

    /// Draws a vertical line.
    public mutating func vertical(x: Int, y: Int, length: Int, role: StyleRole = .border) {
        for row in y..<max(y, y + length) { put("│", x: x, y: row, role: role) }
    }

    /// The screen as text, one line per row, trailing spaces kept, wide characters once.
    public func text() -> String {
        (0..<height).map(line).joined(separator: "\n")
    }

    /// Row `y` as text.
    public func line(_ y: Int) -> String {
        var line = ""
        for x in 0..<width where self[x, y].width > 0 {
            line.append(self[x, y].character)
        }
        return line
    }

    /// The longest prefix of `text` that fits in `width` cells.
    public static func prefix(_ text: String, width: Int) -> String {
        var used = 0
        var result = ""
        for character in text {
            let cellWidth = DisplayWidth.of(character)
            if used + cellWidth > width { break }
            used += cellWidth
            result.append(character)
        }
        return result
    }

    /// `text` split into lines of at most `width` cells, breaking at spaces when it can.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var rest = Substring(TerminalSafe.inert(text))
        while DisplayWidth.of(String(rest)) > width {
            let head = prefix(String(rest), width: width)
            var cut = head.endIndex
            if let space = head.lastIndex(of: " "), head.distance(from: head.startIndex, to: space) > width / 3 {
                cut = space
            }
            let line = String(head[..<cut])
            lines.append(line)
            rest = rest.dropFirst(line.count)
            while rest.first == " " { rest = rest.dropFirst() }
        }
        lines.append(String(rest))
        return lines
    }
}
