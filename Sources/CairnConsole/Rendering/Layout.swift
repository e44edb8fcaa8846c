/// Where things go on a screen of a given size.
///
/// From the top: the title border (row 0), the lock banner while anyone holds the lock,
/// the panes, the log strip under the list views, the message line (row `height - 2`,
/// never shared with anything else) and the hint bar in the bottom border.
public struct Layout: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// Rows the lock banner takes under the title: 1 while the lock is held, else 0.
    public let bannerLines: Int
    /// Lines the operator added to the log strip (`+`) or took from it (`-`).
    public let stripAdjust: Int

    /// The smallest screen the console draws on.
    public static let minimumWidth = 60
    public static let minimumHeight = 16
    /// The fewest rows the panes keep when the log strip grows.
    static let minimumPaneRows = 6

    /// A layout; `banner` makes room for the lock banner, `stripAdjust` resizes the log strip.
    public init(width: Int, height: Int, banner: Bool = false, stripAdjust: Int = 0) {
        self.width = width
        self.height = height
        self.bannerLines = banner ? 1 : 0
        self.stripAdjust = stripAdjust
    }

    /// The layout of `state`'s screen.
    public static func of(_ state: ConsoleState) -> Layout {
        Layout(width: state.width, height: state.height, banner: state.snapshot?.lock != nil, stripAdjust: state.stripAdjust)
    }

    /// True when the screen is below the minimum size.
    public var tooSmall: Bool { width < Layout.minimumWidth || height < Layout.minimumHeight }

    /// The log strip's lines before the operator resizes it: it grows with the terminal.
    public var defaultStripLines: Int { height >= 24 ? max(3, height / 6) : height >= 20 ? 2 : 0 }
    /// The most lines the strip may take, leaving the panes their minimum.
    public var maximumStripLines: Int { max(0, height - 4 - paneTop - Layout.minimumPaneRows) }
    /// Log lines shown in the strip under the list views (0 hides the strip).
    public var stripLines: Int { min(maximumStripLines, max(0, defaultStripLines + stripAdjust)) }
    /// The row of the strip's top separator.
    public var stripTop: Int { messageRow - (stripLines > 0 ? stripLines + 2 : 0) }
    /// The row of the message line: notices, the running job, the lock wait.
    public var messageRow: Int { height - 2 }
    /// The first row of the panes (their header row).
    public var paneTop: Int { 1 + bannerLines }
    /// The row after the panes.
    public var paneBottom: Int { stripLines > 0 ? stripTop : messageRow }
    /// Rows for list items (below the pane header).
    public var listRows: Int { max(1, paneBottom - paneTop - 1) }
    /// Rows for detail lines (below the pane header).
    public var detailRows: Int { max(1, paneBottom - paneTop - 1) }
    /// The width of the list pane, border included.
    public var listWidth: Int { min(46, max(28, width * 35 / 100)) }
    /// The column of the detail pane's text.
    public var detailX: Int { listWidth + 1 }
    /// The width of the detail pane's text (one space of padding on each side).
    public var detailWidth: Int { max(1, width - detailX - 3) }
    /// Rows for log lines in the log view (under its header, above the message line).
    public var logViewRows: Int { max(1, messageRow - paneTop - 1) }
    /// The width of log lines in the log view.
    public var logViewWidth: Int { max(1, width - 4) }
}
