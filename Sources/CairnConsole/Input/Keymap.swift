/// The one table of keys: it maps keys to commands, and it is what the help
/// overlay and the hint bar show, so they can never disagree with what keys do.
public enum Keymap {
    /// Where a binding applies.
    public enum Scope: String, Sendable, Hashable {
        case everywhere, lists, migrations, runs, log, projections, environments
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
        Binding(keys: [[.character("j")], [.down]], command: .moveDown, label: "down", scope: .everywhere, hint: 0,
                hintText: ("j/k", "move")),
        Binding(keys: [[.character("k")], [.up]], command: .moveUp, label: "up", scope: .everywhere, hint: nil),
        Binding(keys: [[.pageDown], [.control("f")]], command: .pageDown, label: "page down", scope: .everywhere, hint: nil),
        Binding(keys: [[.pageUp], [.control("b")]], command: .pageUp, label: "page up", scope: .everywhere, hint: nil),
        Binding(keys: [[.character("g"), .character("g")], [.home]], command: .top, label: "top", scope: .everywhere, hint: nil),
        Binding(keys: [[.character("G")], [.end]], command: .bottom, label: "bottom", scope: .everywhere, hint: nil),
        Binding(keys: [[.tab], [.backTab]], command: .nextPane, label: "pane", scope: .everywhere, hint: 9),
        Binding(keys: [[.enter]], command: .open, label: "open", scope: .lists, hint: 1),
        Binding(keys: [[.escape]], command: .back, label: "back", scope: .everywhere, hint: nil),
        Binding(keys: [[.character("/")]], command: .filter, label: "filter", scope: .lists, hint: 8),
        Binding(keys: [[.character("/")]], command: .filter, label: "search", scope: .log, hint: 3),
        Binding(keys: [[.character("n")]], command: .nextMatch, label: "next match", scope: .log, hint: 4),
        Binding(keys: [[.character("N")]], command: .previousMatch, label: "previous match", scope: .log, hint: nil),
        Binding(keys: [[.character("f")]], command: .toggleFollow, label: "follow", scope: .log, hint: 1),
        Binding(keys: [[.character("w")]], command: .toggleWrap, label: "wrap", scope: .log, hint: 2),
        Binding(keys: [[.character("d")]], command: .dryRun, label: "dry-run", scope: .migrations, hint: 2),
        Binding(keys: [[.character("r")]], command: .runNext, label: "run next", scope: .migrations, hint: 3),
        Binding(keys: [[.character("R")]], command: .runAll, label: "run all", scope: .migrations, hint: nil),
        Binding(keys: [[.character("s")]], command: .skip, label: "skip", scope: .migrations, hint: 4),
        Binding(keys: [[.character("u")]], command: .unskip, label: "unskip", scope: .migrations, hint: nil),
        Binding(keys: [[.character("b")]], command: .rebuild, label: "rebuild", scope: .projections, hint: 2),
        Binding(keys: [[.character("x")]], command: .breakLock, label: "break stale lock", scope: .everywhere, hint: nil),
        Binding(keys: [[.character("c")]], command: .cancelRun, label: "cancel the running job", scope: .everywhere, hint: nil),
        Binding(keys: [[.character("1")], [.character("m")]], command: .showMigrations, label: "migrations", scope: .everywhere, hint: nil),
        Binding(keys: [[.character("2")], [.character("h")]], command: .showRuns, label: "runs", scope: .everywhere, hint: nil),
        Binding(keys: [[.character("3")], [.character("l")]], command: .showLog, label: "log", scope: .everywhere, hint: 6,
                hintText: ("l", "log")),
        Binding(keys: [[.character("4")], [.character("p")]], command: .showProjections, label: "projections", scope: .everywhere, hint: nil),
        Binding(keys: [[.character("5")], [.character("e")]], command: .showEnvironments, label: "env", scope: .everywhere, hint: 7,
                hintText: ("e", "env")),
        Binding(keys: [[.control("r")]], command: .refresh, label: "reload now", scope: .everywhere, hint: nil),
        Binding(keys: [[.character("?")]], command: .help, label: "help", scope: .everywhere, hint: 20),
        Binding(keys: [[.character("q")], [.control("c")]], command: .quit, label: "quit", scope: .everywhere, hint: 21,
                hintText: ("q", "quit")),
    ]

    /// The scopes active in a view.
    public static func scopes(for view: ConsoleView) -> Set<Scope> {
        switch view {
        case .migrations: return [.everywhere, .lists, .migrations]
        case .runs: return [.everywhere, .lists, .runs]
        case .log: return [.everywhere, .log]
        case .projections: return [.everywhere, .lists, .projections]
        case .environments: return [.everywhere, .lists, .environments]
        }
    }

    /// The bindings of a view, in table order.
    public static func bindings(for view: ConsoleView) -> [Binding] {
        let scopes = scopes(for: view)
        return bindings.filter { scopes.contains($0.scope) }
    }

    /// The command `keys` trigger in `view`: `.matched`, `.prefix` when more keys may
    /// follow (the `g` of `g g`), or `.none`.
    public static func lookup(_ keys: [Key], in view: ConsoleView) -> Lookup {
        var prefix = false
        for binding in bindings(for: view) {
            for sequence in binding.keys {
                if sequence == keys { return .matched(binding.command) }
                if sequence.count > keys.count && Array(sequence.prefix(keys.count)) == keys { prefix = true }
            }
        }
        return prefix ? .prefix : .none
    }

    /// The result of looking keys up.
    public enum Lookup: Sendable, Equatable {
        case matched(ConsoleCommand)
        case prefix
        case none
    }

    /// The bindings the hint bar shows in a view, in hint order.
    public static func hints(for view: ConsoleView) -> [Binding] {
        bindings(for: view).filter { $0.hint != nil }.sorted { $0.hint! < $1.hint! }
    }
}
