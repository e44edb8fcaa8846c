/// The detail pane's rows, held as segments without copying them: the migration's facts
/// (wrapped to the pane's width) and the preview's and events' rows as they were built,
/// one row each. Counting, indexing and drawing a window cost the same for a diff of
/// 10,000 rows as for one of ten.
public struct DetailRows: Sendable {
    private var segments: [[DetailLine]]
    /// Where each segment starts.
    private var starts: [Int]
    /// How many rows there are.
    public private(set) var count: Int

    /// Rows from segments of rows.
    init(_ segments: [[DetailLine]]) {
        self.segments = segments.filter { !$0.isEmpty }
        starts = []
        var total = 0
        for segment in self.segments {
            starts.append(total)
            total += segment.count
        }
        count = total
    }

    /// Row `index`.
    public subscript(_ index: Int) -> DetailLine {
        var segment = starts.count - 1
        while segment > 0 && starts[segment] > index { segment -= 1 }
        return segments[segment][index - starts[segment]]
    }

    /// True when `index` is a row.
    public func contains(_ index: Int) -> Bool { index >= 0 && index < count }

    /// The indexes of the rows whose text holds `term` (lowercased), in order.
    public func matches(_ term: String) -> [Int] {
        var found: [Int] = []
        for (segment, rows) in segments.enumerated() {
            for (offset, row) in rows.enumerated() where row.text.lowercased().contains(term) {
                found.append(starts[segment] + offset)
            }
        }
        return found
    }

    /// The first row that satisfies `predicate`.
    public func firstIndex(where predicate: (DetailLine) -> Bool) -> Int? {
        for (segment, rows) in segments.enumerated() {
            if let offset = rows.firstIndex(where: predicate) { return starts[segment] + offset }
        }
        return nil
    }
}
