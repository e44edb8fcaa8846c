/// Where things go on a screen of a given size.
public struct Layout: Sendable, Equatable {
    public let width: Int
    public let height: Int

    /// The smallest screen the console draws on.
    public static let minimumWidth = 60
    public static let minimumHeight = 16

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// True when the screen is below the minimum size.
    public var tooSmall: Bool { width < Layout.minimumWidth || height < Layout.minimumHeight }

    /// Log lines shown in the strip under the list views (0 hides the strip).
    public var stripLines: Int { height >= 24 ? 3 : height >= 20 ? 2 : 0 }
    /// The row of the strip's top separator.
    public var stripTop: Int { height - 1 - (stripLines > 0 ? stripLines + 2 : 0) }
    /// The first row of the panes (their header row).
    public let paneTop = 1
    /// The row after the panes.
    public var paneBottom: Int { stripLines > 0 ? stripTop : height - 1 }
    /// Rows for list items (below the pane header).
    public var listRows: Int { max(1, paneBottom - paneTop - 1) }
    /// The width of the list pane, border included.
    public var listWidth: Int { min(46, max(28, width * 35 / 100)) }
    /// The column of the detail pane's text.
    public var detailX: Int { listWidth + 1 }
    /// The width of the detail pane's text (one space of padding on each side).
    public var detailWidth: Int { max(1, width - detailX - 3) }
    /// Rows for log lines in the log view.
    public var logViewRows: Int { max(1, height - 3) }
    /// The width of log lines in the log view.
    public var logViewWidth: Int { max(1, width - 4) }
}
