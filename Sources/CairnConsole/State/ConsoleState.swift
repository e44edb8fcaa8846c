/// Everything the console shows and remembers; the reducer changes it, the renderer draws it.
public struct ConsoleState: Sendable, Equatable {
    /// A preview (dry-run) of one migration.
    public enum Preview: Sendable, Equatable {
        case loading
        case done(PreviewModel)
        case failed(String)
    }

    /// A writing job running in the background.
    public struct Job: Sendable, Equatable {
        public var title: String
        public var progress: String?
        public var canceling = false
    }

    /// A short message in the frame, for a few seconds.
    public struct Notice: Sendable, Equatable {
        public var text: String
        public var isError: Bool
    }

    public var snapshot: Snapshot?
    public var loadError: String?
    public var view: ConsoleView = .migrations
    public var focus: Pane = .list
    public var selection: [ConsoleView: Int] = [:]
    public var listTop: [ConsoleView: Int] = [:]
    public var detailTop = 0
    public var filters: [ConsoleView: String] = [:]
    public var input: InputLine?
    public var modal: Modal?
    public var log = LogState()
    public var previews: [String: Preview] = [:]
    public var candidates: [String: String] = [:]
    public var writtenEvents: [String: [String]] = [:]
    public var job: Job?
    public var notice: Notice?
    /// Writing actions are off, and why.
    public var readonlyReason: String?
    /// The environment asks for its name before writing.
    public var protected = false
    public var environments: [EnvironmentItem] = []
    public var pendingKeys: [Key] = []
    public var width = 100
    public var height = 30
    public var quit = false

    /// A fresh state.
    public init(readonlyReason: String? = nil, protected: Bool = false, environments: [EnvironmentItem] = []) {
        self.readonlyReason = readonlyReason
        self.protected = protected
        self.environments = environments
    }

    /// An environment of `cairn.toml`.
    public struct EnvironmentItem: Sendable, Equatable {
        public var name: String
        public var database: String
        public var protected: Bool
        public var current: Bool

        public init(name: String, database: String, protected: Bool, current: Bool) {
            self.name = name
            self.database = database
            self.protected = protected
            self.current = current
        }
    }
}

/// A dry-run's result for one migration, as the console shows it.
public struct PreviewModel: Sendable, Equatable {
    public var runId: Int64
    /// "+ type stream vN (tenant t)" lines.
    public var events: [String]
    /// Diff lines: (glyph, text).
    public var changes: [(glyph: String, text: String)]
    public var rejections: [String]
    public var idempotent: Bool
    public var note: String?

    public init(runId: Int64, events: [String], changes: [(glyph: String, text: String)], rejections: [String],
                idempotent: Bool, note: String?) {
        self.runId = runId
        self.events = events
        self.changes = changes
        self.rejections = rejections
        self.idempotent = idempotent
        self.note = note
    }

    public static func == (lhs: PreviewModel, rhs: PreviewModel) -> Bool {
        lhs.runId == rhs.runId && lhs.events == rhs.events && lhs.changes.map(\.text) == rhs.changes.map(\.text)
            && lhs.rejections == rhs.rejections && lhs.idempotent == rhs.idempotent && lhs.note == rhs.note
    }
}
