import GRDB

/// Watches one replay transaction of a rebuild for writes to the live tables being rebuilt.
///
/// It is GRDB's transaction observer: SQLite reports each inserted, updated or deleted row of
/// a rowid table by name, so a projection that names a live table in its SQL is caught at
/// the first row it writes there. (Tables `WITHOUT ROWID` are not reported; the rebuild's
/// check for shadow tables left empty still catches a projection that wrote only those.)
final class LiveTableGuard: TransactionObserver {
    /// The live tables, lower-cased: SQLite's names are case-insensitive.
    private let tables: Set<String>
    /// The first live table written, as SQLite names it.
    private(set) var written: String?

    init(tables: Set<String>) {
        self.tables = Set(tables.map { $0.lowercased() })
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        tables.contains(eventKind.tableName.lowercased())
    }

    func databaseDidChange(with event: DatabaseEvent) {
        if written == nil { written = event.tableName }
    }

    func databaseDidCommit(_ db: Database) {}

    func databaseDidRollback(_ db: Database) {}
}
