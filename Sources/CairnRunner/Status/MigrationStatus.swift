import CairnStore

/// One migration's standing in an environment, with what explains it.
public struct MigrationStatus: Sendable {
    public let id: String
    public let state: MigrationState
    public let description: String
    /// The current checksum (of the file, or the Swift migration's), or the marker's for a missing file.
    public let checksum: String
    public let skippable: Bool
    /// True when it is pending but sorts before the newest applied migration.
    public let outOfOrder: Bool
    /// The migration, when it is in the catalog (not for `missing`).
    public let migration: Migration?
    /// The marker, when it was applied.
    public let marker: Marker?
    /// Why it is skipped, when it is.
    public let skip: SkipInfo?
    /// The problem when `CAIRN_SKIP_<ID>` is set for a migration that is not skippable, or to a value that is not a skip value.
    public let ignoredSkipVariable: String?
    /// Its newest attempt, if any.
    public let lastAttempt: Attempt?
    /// The batches an unfinished run committed, when the state is `partial`.
    public var partial: PartialWork? = nil

    /// True when `cairn up` would work on it: pending, failed, or partly applied.
    public var isRunnable: Bool {
        state == .pending || state == .failed || (state == .partial && partial?.direction == .up)
    }
    /// Problems to show beside it (drift details, a skip variable on a non-skippable migration, parse errors).
    public let problems: [String]

    /// How a recovery verb ended its block, in words — "repaired … by …: reason", "retired … by …:
    /// reason" or "baseline … by …: reason" — or nil when none did. Status and the console show it.
    public var recoveryNote: String? {
        guard let marker else { return nil }
        if marker.isRepaired {
            let verb = marker.retired ? "retired" : "repaired"
            let was = marker.previousChecksum.map { " (checksum was \($0.prefix(12))…)" } ?? ""
            return "\(verb) \(marker.repairedAt ?? "") by \(marker.repairedBy ?? "?"): \(marker.repairReason ?? "")\(was)"
                + " · run \(marker.repairRunId ?? 0)"
        }
        if marker.baseline {
            return "baseline \(marker.appliedAt) by \(marker.user.map { "\($0)@\(marker.host)" } ?? marker.host):"
                + " \(marker.baselineReason ?? "") · run \(marker.runId), nothing ran"
        }
        return nil
    }
}

/// The standing of every migration in an environment.
public struct StatusReport: Sendable {
    /// The environment's name.
    public let environment: String
    /// The database file.
    public let database: String
    /// The seeds folder.
    public let seeds: String
    /// Every migration in run order, including missing ones.
    public let migrations: [MigrationStatus]
    /// Drift and missing files, in words: they block runs.
    public let blockers: [String]
    /// Every problem in words: the blockers, then bad file names, skip variables on
    /// non-skippable migrations and the like.
    public let problems: [String]
    /// The lock holder, if a run is in progress.
    public let lock: LockInfo?
    /// Rebuilds that applied migrations declared and that have not finished since:
    /// the next `cairn up` runs them.
    public let owedRebuilds: [OwedRebuild]
    /// `CAIRN_SKIP_…` variables that name no migration of the catalog, in words: warned about, never an error.
    public let strayVariables: [String]

    /// True when drift or a missing file blocks runs.
    public var blocked: Bool { !blockers.isEmpty }

    /// How many migrations are in `state`.
    public func count(_ state: MigrationState) -> Int {
        migrations.filter { $0.state == state }.count
    }

    /// The migrations a run would apply, in order: pending, failed and partly applied ones.
    public var runnable: [MigrationStatus] {
        migrations.filter(\.isRunnable)
    }
}
