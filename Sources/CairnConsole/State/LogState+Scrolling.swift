/// The log view's rows and scrolling: one display row per line, or several when
/// wrapping, formatted only in the window shown.
extension LogState {
    /// One log line as the log view shows it: time, level, message.
    public static func text(_ line: Line) -> String {
        if line.continues { return String(repeating: " ", count: line.time.count + 9) + line.message }
        return "\(line.time) \(line.level.padding(toLength: 7, withPad: " ", startingAt: 0)) \(line.message)"
    }

    /// The display rows in `window` (row indexes) at `width`. Unwrapped, only the window is
    /// formatted: a key press then costs the same for a log of five lines and one of a hundred thousand.
    public func rows(width: Int, window: Range<Int> = 0..<Int.max) -> [(line: Int, text: String)] {
        guard wrap else {
            let start = min(max(0, window.lowerBound), lines.count)
            let end = max(start, min(window.upperBound, lines.count))
            return (start..<end).map { ($0, LogState.text(lines[$0])) }
        }
        let counts = keptWrapCounts(width: width)
        var rows: [(Int, String)] = []
        var row = 0
        for (index, line) in lines.enumerated() {
            // With the counts known, lines before the window are skipped without wrapping them.
            if let counts, row + counts[index] <= window.lowerBound {
                row += counts[index]
                continue
            }
            for piece in Screen.wrap(LogState.text(line), width: width) {
                if window.contains(row) { rows.append((index, piece)) }
                row += 1
            }
            if row >= window.upperBound { break }
        }
        return rows
    }

    /// How many display rows the log has at `width`.
    func rowCount(width: Int) -> Int {
        guard wrap else { return lines.count }
        if let counts = keptWrapCounts(width: width) { return counts.reduce(0, +) }
        return lines.reduce(0) { $0 + Screen.wrap(LogState.text($1), width: width).count }
    }

    /// The first display row of line `index` at `width`.
    func row(ofLine index: Int, width: Int) -> Int {
        guard wrap else { return index }
        if let counts = keptWrapCounts(width: width) { return counts[..<min(index, counts.count)].reduce(0, +) }
        return rows(width: width).firstIndex { $0.line == index } ?? 0
    }

    /// The kept wrapped row counts when they hold every line at `width`, else nil.
    private func keptWrapCounts(width: Int) -> [Int]? {
        wrapCounts.width == width && wrapCounts.rows.count == lines.count ? wrapCounts.rows : nil
    }

    /// Brings the wrapped row counts up to date: wraps only the lines added since, or all of them after a resize.
    mutating func updateWrapCounts(width: Int) {
        guard wrap else { return }
        if wrapCounts.width != width || wrapCounts.rows.count > lines.count {
            wrapCounts = WrapCounts(width: width, rows: [])
        }
        for line in lines[wrapCounts.rows.count...] {
            wrapCounts.rows.append(Screen.wrap(LogState.text(line), width: width).count)
        }
    }

    /// The greatest top row for a view of `height` rows at `width`.
    public func maxTop(width: Int, height: Int) -> Int {
        max(0, rowCount(width: width) - height)
    }

    /// Shows the last rows.
    mutating func scrollToEnd(width: Int, height: Int) {
        updateWrapCounts(width: width)
        top = maxTop(width: width, height: height)
    }

    /// Keeps the top row inside the log.
    mutating func clamp(width: Int, height: Int) {
        updateWrapCounts(width: width)
        top = min(top, maxTop(width: width, height: height))
    }

    /// Finds the lines that match the search term.
    mutating func updateMatches() {
        guard let term = search?.lowercased(), !term.isEmpty else {
            matches = []
            return
        }
        matches = lines.indices.filter { lines[$0].message.lowercased().contains(term) }
    }

    /// Moves to the next (or previous) match and centres it; returns what to tell the operator.
    mutating func jumpToMatch(forward: Bool, width: Int, height: Int) -> (text: String, isError: Bool)? {
        guard !matches.isEmpty else {
            return search.map { ("no line matches \"\($0)\"", true) }
        }
        let next: Int
        if let currentMatch {
            next = forward ? (currentMatch + 1) % matches.count : (currentMatch + matches.count - 1) % matches.count
        } else {
            next = forward ? 0 : matches.count - 1
        }
        currentMatch = next
        follow = false
        updateWrapCounts(width: width)
        top = max(0, row(ofLine: matches[next], width: width) - height / 2)
        clamp(width: width, height: height)
        return ("match \(next + 1) of \(matches.count)", false)
    }
}
