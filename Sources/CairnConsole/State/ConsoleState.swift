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
        /// The job waits for a lock another process holds: `x` may break that lock meanwhile.
        public var waitingForLock: Bool { progress?.hasPrefix("waiting for the lock") == true }
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
    public var writtenEvents: [String: EventsPage] = [:]
    /// What each run the operator looked at did to its migrations.
    public var runMigrations: [Int64: [Snapshot.RunMigration]] = [:]
    /// The detail pane's cursor row, when it has the keys.
    public var detailCursor = 0
    /// The detail search term and the rows that match it.
    public var detailSearch: String?
    public var job: Job?
    public var notice: Notice?
    /// Writing actions are off, and why.
    public var readonlyReason: String?
    /// The environment asks for its name before writing.
    public var protected = false
    public var environments: [EnvironmentItem] = []
    /// The themes `:theme` may switch to.
    public var themes: [String] = ["default", "light", "high-contrast", "mono"]
    public var pendingKeys: [Key] = []
    /// Lines the operator added to the log strip with `+` or took from it with `-`.
    public var stripAdjust = 0
    /// The run kinds the runs view lists (all when nil), e.g. `migrate` hides previews.
    public var runKinds: Set<String>?
    /// The first snapshot has chosen the migration to open on (the first failed one, else the first pending one).
    public var openedOnProblem = false
    public var width = 100
    public var height = 30
    public var quit = false

    /// A fresh state.
    public init(readonlyReason: String? = nil, protected: Bool = false, environments: [EnvironmentItem] = []) {
        self.readonlyReason = readonlyReason
        self.protected = protected
        self.environments = environments
    }

    /// Forgets what was loaded about the store as it was: previews, candidate counts, events
    /// written, runs' migrations (after a job wrote, or another environment opened).
    mutating func forgetLoadedDetails() {
        previews = [:]
        candidates = [:]
        writtenEvents = [:]
        runMigrations = [:]
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
