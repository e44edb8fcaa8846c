import CairnStore

/// The demo's upcasters: one real case of a payload whose shape changed.
public enum DemoUpcasters {
    /// `incident.opened` at schema version 1 had no `severity`; version 2 has it,
    /// `"unknown"` for incidents opened before severities existed.
    public static let incidentOpenedSeverity = Upcaster(DemoEvents.incidentOpened, from: 1) { payload in
        var lifted = payload
        if lifted["severity"] == nil {
            lifted.fields["severity"] = "unknown"
        }
        return lifted
    }

    /// Every demo upcaster.
    public static let all = [incidentOpenedSeverity]
}
