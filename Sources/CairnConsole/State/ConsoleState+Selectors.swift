/// What the views show of the state: the lists after their filters, and the selected item of each.
extension ConsoleState {
    /// The migrations shown, after the filter.
    public var visibleMigrations: [Snapshot.Migration] {
        let all = snapshot?.migrations ?? []
        guard let filter = filters[.migrations]?.lowercased(), !filter.isEmpty else { return all }
        return all.filter { "\($0.id) \($0.description) \($0.state.rawValue)".lowercased().contains(filter) }
    }

    /// The runs shown, newest first, after the filter.
    public var visibleRuns: [Snapshot.Run] {
        var all = snapshot?.runs ?? []
        if let kinds = runKinds { all = all.filter { kinds.contains($0.kind) } }
        guard let filter = filters[.runs]?.lowercased(), !filter.isEmpty else { return all }
        return all.filter { "\($0.id) \($0.kind) \($0.trigger) \($0.shownStatus) \($0.error ?? "")".lowercased().contains(filter) }
    }

    /// The projections shown, after the filter.
    public var visibleProjections: [Snapshot.Projection] {
        let all = snapshot?.projections ?? []
        guard let filter = filters[.projections]?.lowercased(), !filter.isEmpty else { return all }
        return all.filter { $0.name.lowercased().contains(filter) }
    }

    /// The environments shown, after the filter.
    public var visibleEnvironments: [EnvironmentItem] {
        guard let filter = filters[.environments]?.lowercased(), !filter.isEmpty else { return environments }
        return environments.filter { $0.name.lowercased().contains(filter) }
    }

    /// How many rows `view` shows.
    func count(in view: ConsoleView) -> Int {
        switch view {
        case .migrations: return visibleMigrations.count
        case .runs: return visibleRuns.count
        case .projections: return visibleProjections.count
        case .environments: return visibleEnvironments.count
        case .log: return log.lines.count
        }
    }

    /// The selected migration, if the list has one.
    public var selectedMigration: Snapshot.Migration? { selected(in: visibleMigrations, .migrations) }
    /// The selected run, if the list has one.
    public var selectedRun: Snapshot.Run? { selected(in: visibleRuns, .runs) }
    /// The selected projection, if the list has one.
    public var selectedProjection: Snapshot.Projection? { selected(in: visibleProjections, .projections) }
    /// The selected environment, if the list has one.
    public var selectedEnvironment: EnvironmentItem? { selected(in: visibleEnvironments, .environments) }

    private func selected<T>(in list: [T], _ view: ConsoleView) -> T? {
        let index = selection[view] ?? 0
        return list.indices.contains(index) ? list[index] : nil
    }
}
