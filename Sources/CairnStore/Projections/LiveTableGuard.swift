import GRDB

/// Watches one replay transaction of a rebuild: writes to the live tables being rebuilt, and
/// how many rows the shadow tables got.
///
/// It is GRDB's transaction observer: SQLite reports each inserted, updated or deleted row of
/// a rowid table by name, so a projection that names a live table in its SQL is caught at
/// the first row it writes there. (Tables `WITHOUT ROWID` are not reported; the rebuild's
/// check for shadow tables left empty still catches a projection that wrote only those.)
final class LiveTableGuard: TransactionObserver {
    /// The live tables, lower-cased: SQLite's names are case-insensitive.
    private let live: Set<String>
    /// The shadow tables, lower-cased.
    private let shadows: Set<String>
    /// The first live table written, as SQLite names it.
    private(set) var written: String?
    /// Rows written to the shadow tables so far.
    private(set) var shadowChanges = 0

    init(live: some Sequence<String>, shadows: some Sequence<String>) {
        self.live = Set(live.map { $0.lowercased() })
        self.shadows = Set(shadows.map { $0.lowercased() })
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        let table = eventKind.tableName.lowercased()
        return live.contains(table) || shadows.contains(table)
    }

    func databaseDidChange(with event: DatabaseEvent) {
        if live.contains(event.tableName.lowercased()) {
            if written == nil { written = event.tableName }
        } else {
            shadowChanges += 1
        }
    }

    func databaseDidCommit(_ db: Database) {}

    func databaseDidRollback(_ db: Database) {}
}
