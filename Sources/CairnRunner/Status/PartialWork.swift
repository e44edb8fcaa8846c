import CairnStore

/// Batches a run committed on a migration before it stopped: the migration is partly
/// applied (`up`) or partly reverted (`down`), and one command finishes the work.
public struct PartialWork: Sendable, Hashable {
    /// Which way the unfinished run was going.
    public enum Direction: String, Sendable {
        case up, down
    }

    public let direction: Direction
    /// The run that stopped.
    public let runId: Int64
    /// How that run ended: canceled, failed, interrupted, or still running.
    public let runStatus: AttemptStatus
    /// Rows and events it committed.
    public let rows: Int
    public let events: Int
    /// The command that finishes the work.
    public let finish: String

    /// The work in words, for status: `partly reverted by run 4 (canceled): 19,225 rows, 19,225 events committed; finish with `cairn revert --to X``.
    public var summary: String {
        let verb = direction == .up ? "partly applied" : "partly reverted"
        return "\(verb) by run \(runId) (\(runStatus.rawValue)): \(rows) row\(rows == 1 ? "" : "s"),"
            + " \(events) event\(events == 1 ? "" : "s") committed; `\(finish)` finishes it"
    }
}
