/// The one table of keys: it maps keys to commands, and it is what the help
/// overlay and the hint bar show, so they can never disagree with what keys do.
public enum Keymap {
    /// Where a binding applies.
    public enum Scope: String, Sendable, Hashable, CaseIterable {
        case everywhere
        /// The list pane has the keys.
        case lists
        /// The detail pane has the keys.
        case detail
        /// Views with a list and a detail pane (tab moves between them).
        case panes
        /// Views with the log strip under them.
        case strip
        case migrations, runs, log, projections, environments

        /// The heading of the scope in the help overlay.
        public var title: String {
            switch self {
            case .everywhere: return "everywhere"
            case .lists: return "lists"
            case .detail: return "detail pane (after tab, d or enter)"
            case .panes: return "two-pane views"
            case .strip: return "log strip"
            default: return rawValue
            }
        }
    }

    /// One row of the table.
    public struct Binding: Sendable, Hashable {
        /// Key sequences that trigger it (`g g` is two keys).
        public let keys: [[Key]]
        public let command: ConsoleCommand
        /// What it does, in a few words.
        public let label: String
        public let scope: Scope
        /// Its place in the hint bar (lower first), or nil when only the help overlay shows it.
        public let hint: Int?
        /// How the hint bar writes its keys and label when it sums up several bindings ("j/k move").
        public var hintText: (keys: String, label: String)?

        /// A binding.
        public init(keys: [[Key]], command: ConsoleCommand, label: String, scope: Scope, hint: Int?,
                    hintText: (keys: String, label: String)? = nil) {
            self.keys = keys
            self.command = command
            self.label = label
            self.scope = scope
            self.hint = hint
            self.hintText = hintText
        }

        public static func == (lhs: Binding, rhs: Binding) -> Bool {
            lhs.keys == rhs.keys && lhs.command == rhs.command && lhs.label == rhs.label && lhs.scope == rhs.scope
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(command)
            hasher.combine(label)
        }

        /// How the keys are written: `j/↓`, `g g/home`.
        public var keyText: String {
            keys.map { $0.map(\.description).joined(separator: " ") }.joined(separator: "/")
        }
    }

    /// Every binding.
    public static let bindings: [Binding] = [
        Binding(keys: [[.character("j")], [.down]], command: .moveDown, label: "down", scope: .lists, hint: 0,
                hintText: ("j/k", "move")),
        Binding(keys: [[.character("k")], [.up]], command: .moveUp, label: "up", scope: .lists, hint: nil),
        Binding(keys: [[.character("j")], [.down]], command: .moveDown, label: "next line", scope: .detail, hint: 0,
                hintText: ("j/k", "line")),
        Binding(keys: [[.character("k")], [.up]], command: .moveUp, label: "previous line", scope: .detail, hint: nil),
        Binding(keys: [[.character("j")], [.down]], command: .moveDown, label: "scroll down", scope: .log, hint: 0,
                hintText: ("j/k", "scroll")),
        Binding(keys: [[.character("k")], [.up]], command: .moveUp, label: "scroll up", scope: .log, hint: nil),
        Binding(keys: [[.pageDown], [.control("f")]], command: .pageDown, label: "page down", scope: .everywhere, hint: nil),
        Binding(keys: [[.pageUp], [.control("b")]], command: .pageUp, label: "page up", scope: .everywhere, hint: nil),
        Binding(keys: [[.character("g"), .character("g")], [.home]], command: .top, label: "top", scope: .everywhere, hint: nil),
        Binding(keys: [[.character("G")], [.end]], command: .bottom, label: "bottom", scope: .everywhere, hint: nil),
        Binding(keys: [[.tab], [.backTab]], command: .nextPane, label: "other pane", scope: .panes, hint: 9,
                hintText: ("tab", "pane")),
        Binding(keys: [[.enter]], command: .open, label: "open", scope: .lists, hint: 1),
        Binding(keys: [[.enter]], command: .open, label: "open the line whole", scope: .detail, hint: 1,
                hintText: ("enter", "open")),
        Binding(keys: [[.escape]], command: .back, label: "back", scope: .everywhere, hint: nil),
        Binding(keys: [[.escape]], command: .back, label: "back to the list", scope: .detail, hint: 8,
                hintText: ("esc", "list")),
        Binding(keys: [[.character("/")]], command: .filter, label: "filter", scope: .lists, hint: 8),
        Binding(keys: [[.character("/")]], command: .filter, label: "search the detail", scope: .detail, hint: 3,
                hintText: ("/", "search")),
        Binding(keys: [[.character("n")]], command: .nextMatch, label: "next match", scope: .detail, hint: nil),
        Binding(keys: [[.character("N")]], command: .previousMatch, label: "previous match", scope: .detail, hint: nil),
        Binding(keys: [[.character("/")]], command: .filter, label: "search", scope: .log, hint: 3),
        Binding(keys: [[.character("n")]], command: .nextMatch, label: "next match", scope: .log, hint: 4),
        Binding(keys: [[.character("N")]], command: .previousMatch, label: "previous match", scope: .log, hint: nil),
        Binding(keys: [[.character("f")]], command: .toggleFollow, label: "follow", scope: .log, hint: 1),
        Binding(keys: [[.character("w")]], command: .toggleWrap, label: "wrap", scope: .log, hint: 2),
        Binding(keys: [[.character("v")]], command: .cycleLogLevel, label: "levels shown", scope: .log, hint: 5,
                hintText: ("v", "levels")),
        Binding(keys: [[.character("d")]], command: .dryRun, label: "dry-run", scope: .migrations, hint: 2),
        Binding(keys: [[.character("D")]], command: .dryRunAll, label: "dry-run every pending one, in order", scope: .migrations,
                hint: nil),
        Binding(keys: [[.character("r")]], command: .runNext, label: "run next", scope: .migrations, hint: 3),
        Binding(keys: [[.character("R")]], command: .runAll, label: "run all", scope: .migrations, hint: nil),
        Binding(keys: [[.character("s")]], command: .skip, label: "skip", scope: .migrations, hint: 4),
        Binding(keys: [[.character("u")]], command: .unskip, label: "unskip", scope: .migrations, hint: nil),
        Binding(keys: [[.character("a")]], command: .repair, label: "repair a drift / retire a missing file",
                scope: .migrations, hint: nil),
        Binding(keys: [[.character("t")]], command: .cycleRunKinds, label: "kinds shown", scope: .runs, hint: 2,
                hintText: ("t", "kinds")),
        Binding(keys: [[.character("b")]], command: .rebuild, label: "rebuild", scope: .projections, hint: 2),
        Binding(keys: [[.character("+")]], command: .growLog, label: "log strip taller", scope: .strip, hint: nil),
        Binding(keys: [[.character("-")]], command: .shrinkLog, label: "log strip shorter", scope: .strip, hint: nil),
        Binding(keys: [[.character("x")]], command: .breakLock, label: "break the lock", scope: .everywhere, hint: nil),
        Binding(keys: [[.character("c")]], command: .cancelRun, label: "cancel the running job", scope: .everywhere, hint: nil),
        Binding(keys: [[.character("y")]], command: .copy, label: "copy the line, payload or id (OSC 52)", scope: .everywhere,
                hint: nil),
        Binding(keys: [[.character(":")]], command: .commandLine, label: "command line (:up, :skip ID, :env NAME…)",
                scope: .everywhere, hint: nil),
        Binding(keys: [[.character("1")], [.character("m")]], command: .showMigrations, label: "migrations", scope: .everywhere, hint: nil),
        Binding(keys: [[.character("2")], [.character("h")]], command: .showRuns, label: "runs", scope: .everywhere, hint: nil),
        Binding(keys: [[.character("3")], [.character("l")]], command: .showLog, label: "log", scope: .everywhere, hint: 6,
                hintText: ("l", "log")),
        Binding(keys: [[.character("4")], [.character("p")]], command: .showProjections, label: "projections", scope: .everywhere, hint: nil),
        Binding(keys: [[.character("5")], [.character("e")]], command: .showEnvironments, label: "env", scope: .everywhere, hint: 7,
                hintText: ("e", "env")),
        Binding(keys: [[.control("r")]], command: .refresh, label: "reload now (and cairn.toml)", scope: .everywhere, hint: nil),
        Binding(keys: [[.character("?")]], command: .help, label: "help", scope: .everywhere, hint: 20),
        Binding(keys: [[.character("q")], [.control("c")]], command: .quit, label: "quit", scope: .everywhere, hint: 21,
                hintText: ("q", "quit")),
    ]

    /// The scopes active in a view with `focus` on one of its panes.
    public static func scopes(for view: ConsoleView, focus: Pane = .list) -> Set<Scope> {
        let side: Scope = focus == .detail ? .detail : .lists
        switch view {
        case .migrations: return [.everywhere, .strip, .panes, side, .migrations]
        case .runs: return [.everywhere, .strip, .panes, side, .runs]
        case .log: return [.everywhere, .log]
        case .projections: return [.everywhere, .strip, .panes, side, .projections]
        case .environments: return [.everywhere, .strip, .lists, .environments]
        }
    }

    /// The bindings of a view, in table order.
    public static func bindings(for view: ConsoleView, focus: Pane = .list) -> [Binding] {
        let scopes = scopes(for: view, focus: focus)
        return bindings.filter { scopes.contains($0.scope) }
    }

    /// The command `keys` trigger in `view`: `.matched`, `.prefix` when more keys may
    /// follow (the `g` of `g g`), or `.none`. Bindings of the focused pane come first.
    public static func lookup(_ keys: [Key], in view: ConsoleView, focus: Pane = .list) -> Lookup {
        var prefix = false
        for binding in paneFirst(bindings(for: view, focus: focus)) {
            for sequence in binding.keys {
                if sequence == keys { return .matched(binding.command) }
                if sequence.count > keys.count && Array(sequence.prefix(keys.count)) == keys { prefix = true }
            }
        }
        return prefix ? .prefix : .none
    }

    /// `bindings` with those of the focused pane (list or detail) first: they win over the view's.
    static func paneFirst(_ bindings: [Binding]) -> [Binding] {
        let isPane = { (binding: Binding) in binding.scope == .detail || binding.scope == .lists }
        return bindings.filter(isPane) + bindings.filter { !isPane($0) }
    }

    /// The result of looking keys up.
    public enum Lookup: Sendable, Equatable {
        case matched(ConsoleCommand)
        case prefix
        case none
    }

    /// The bindings the hint bar shows in a view, in hint order; a key both the pane and
    /// the view bind is shown once, as the pane's.
    public static func hints(for view: ConsoleView, focus: Pane = .list) -> [Binding] {
        var seen = Set<[[Key]]>()
        var shown: [Binding] = []
        for binding in paneFirst(bindings(for: view, focus: focus).filter { $0.hint != nil }) where !seen.contains(binding.keys) {
            seen.insert(binding.keys)
            shown.append(binding)
        }
        return shown.sorted { $0.hint! < $1.hint! }
    }
}
