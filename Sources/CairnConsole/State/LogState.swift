/// The log view: which run, its lines, and how they are being read.
public struct LogState: Sendable, Equatable {
    /// One line of a run's log.
    public struct Line: Sendable, Equatable {
        public var id: Int64
        public var time: String
        public var level: String
        public var message: String
        /// True for the second and later lines of a message that holds newlines: shown
        /// indented under the first, without time and level again.
        public var continues: Bool

        public init(id: Int64, time: String, level: String, message: String, continues: Bool = false) {
            self.id = id
            self.time = time
            self.level = level
            self.message = message
            self.continues = continues
        }

        /// The display lines of one stored log line: one per line of its message (a failure's
        /// `fix:` and `payload:` lines are shown as lines, not as `^J`).
        public static func lines(id: Int64, time: String, level: String, message: String) -> [Line] {
            let parts = message.split(separator: "\n", omittingEmptySubsequences: false)
            return parts.enumerated().map { index, part in
                Line(id: id, time: time, level: level, message: String(part), continues: index > 0)
            }
        }
    }

    /// The run shown; nil follows the newest run.
    public var runId: Int64?
    /// The run's record, once loaded.
    public var run: Snapshot.Run?
    /// The run asked for, when the store has no such run.
    public var missing: Int64?
    /// The lines shown: those of `all` at or above `minimumLevel`.
    public var lines: [Line] = []
    /// Every line loaded of the run.
    public var all: [Line] = []
    /// The lowest level shown ("info", "warning", "error"), or nil for every line.
    public var minimumLevel: String?
    /// Following: new lines are fetched and the view stays at the end; with no run
    /// chosen, it moves on to newer runs as they start.
    public var follow = true
    /// The first visible row.
    public var top = 0
    public var wrap = false
    public var search: String?
    /// Indexes of the lines matching the search.
    public var matches: [Int] = []
    /// The current match, an index into `matches`.
    public var currentMatch: Int?

    /// Display rows per line when wrapping at `width`, for the lines counted so far.
    ///
    /// A key press in the wrapped view used to wrap every line of the log; with the
    /// counts kept here it wraps only the new lines and the visible ones.
    public struct WrapCounts: Sendable, Equatable {
        public var width = 0
        public var rows: [Int] = []
    }

    /// Wrapped row counts, kept up to date by the reducer while wrapping.
    public var wrapCounts = WrapCounts()

    /// An empty log view.
    public init() {}

    /// The id of the newest line loaded.
    public var lastLineId: Int64 { all.last?.id ?? 0 }

    /// The levels in order, lowest first.
    public static let levels = ["debug", "info", "warning", "error"]

    /// True when `line` is at or above the minimum level.
    public func shows(_ line: Line) -> Bool {
        guard let minimumLevel, let floor = LogState.levels.firstIndex(of: minimumLevel) else { return true }
        return (LogState.levels.firstIndex(of: line.level) ?? 1) >= floor
    }

    /// Replaces the lines loaded (a new run) or adds to them, keeping `lines` filtered.
    mutating func take(_ new: [Line], replacing: Bool) {
        if replacing {
            all = new
            lines = new.filter(shows)
            wrapCounts = WrapCounts()
            top = 0
        } else {
            all += new
            lines += new.filter(shows)
        }
    }

    /// Shows the next level up (all → info → warning → error → all); returns its name.
    mutating func cycleLevel() -> String {
        switch minimumLevel {
        case nil: minimumLevel = "info"
        case "info": minimumLevel = "warning"
        case "warning": minimumLevel = "error"
        default: minimumLevel = nil
        }
        lines = all.filter(shows)
        wrapCounts = WrapCounts()
        matches = []
        currentMatch = nil
        top = 0
        return minimumLevel.map { "\($0) and above" } ?? "every level"
    }
}
