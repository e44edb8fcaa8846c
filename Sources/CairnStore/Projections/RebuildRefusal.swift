/// A rebuild refused because a projection did not write through the table names its context gave it.
///
/// A rebuild replays every event into shadow tables and swaps them in. A projection that
/// writes a read table by its literal name (`INSERT INTO members …` instead of
/// `INSERT INTO \(context.table("members")) …`) writes the live table, which the swap then
/// replaces with an empty shadow: the read model would be wiped. The rebuild stops instead,
/// its shadow tables are dropped and the live tables stay as they were.
public struct RebuildRefusal: ExplainedError, Sendable, Hashable {
    /// What the projection did wrong.
    public enum Cause: Sendable, Hashable {
        /// It wrote the live table `table` while the rebuild directed it at `shadow`.
        case wroteLiveTable(table: String, shadow: String, eventPosition: Int64, eventType: String)
        /// It was given `events` events and wrote no row to any of its tables.
        case wroteNothing(events: Int, tables: [String])
    }

    /// The projection at fault.
    public let projection: String
    /// What it did.
    public let cause: Cause

    /// Creates the refusal.
    public init(projection: String, cause: Cause) {
        self.projection = projection
        self.cause = cause
    }

    public var summary: String {
        switch cause {
        case .wroteLiveTable(let table, let shadow, let position, let type):
            return "rebuild of projection '\(projection)' stopped: applying event \(position) (\(type)) it wrote the live"
                + " table '\(table)' instead of the shadow table '\(shadow)' the rebuild gave it; nothing was swapped"
        case .wroteNothing(let events, let tables):
            return "rebuild of projection '\(projection)' stopped: it was given \(events) event\(events == 1 ? "" : "s")"
                + " and wrote no row to \(tables.map { "'\($0)'" }.joined(separator: ", ")); swapping in its empty"
                + " shadow tables would wipe the read model, so nothing was swapped"
        }
    }

    public var remedy: String? {
        switch cause {
        case .wroteLiveTable(let table, _, _, _):
            return "write the table as `\\(context.table(\"\(table)\"))` in the projection's SQL, never by its literal"
                + " name; the live tables were left as they were"
        case .wroteNothing(_, let tables):
            return "write each table as `\\(context.table(\"\(tables.first ?? "name")\"))` in the projection's SQL;"
                + " the live tables were left as they were"
        }
    }

    public var exitCode: Int32 { CairnExit.failed }
}
