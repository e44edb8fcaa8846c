import CairnStore

/// What `repair` did: approved an edited file's checksum, or retired a deleted file.
public struct RepairOutcome: Sendable {
    /// Which of the two it was.
    public enum Action: String, Sendable {
        /// The file changed on purpose: its current checksum was approved.
        case repaired
        /// The file was deleted on purpose: the migration is retired and never blocks again.
        case retired
    }

    /// The migration.
    public let migrationId: String
    public let action: Action
    /// The `repair` run that recorded it.
    public let runId: Int64
    /// The marker as written.
    public let marker: Marker
}
