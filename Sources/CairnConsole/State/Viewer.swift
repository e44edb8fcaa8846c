/// A scrollable view of one item's full text.
public struct Viewer: Sendable, Equatable {
    public var title: String
    public var lines: [String]
    public var top = 0

    public init(title: String, text: String) {
        self.title = title
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// The text width of the viewer on a screen `width` cells wide.
    public static func textWidth(screenWidth width: Int) -> Int { max(1, min(width, width - 6) - 4) }

    /// The rows the lines take at `width` cells: a long value wraps, so it is shown whole.
    public func rows(width: Int) -> [String] {
        lines.flatMap { line in line.isEmpty ? [""] : Screen.wrap(line, width: width) }
    }
}
