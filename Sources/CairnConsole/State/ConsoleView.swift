/// The console's views.
public enum ConsoleView: String, Sendable, CaseIterable, Hashable {
    case migrations, runs, log, projections, environments

    /// The title shown in the frame.
    public var title: String {
        switch self {
        case .migrations: return "Migrations"
        case .runs: return "Runs"
        case .log: return "Log"
        case .projections: return "Projections"
        case .environments: return "Environments"
        }
    }
}

/// Which pane of a two-pane view has the keys.
public enum Pane: Sendable, Hashable {
    case list, detail
}
