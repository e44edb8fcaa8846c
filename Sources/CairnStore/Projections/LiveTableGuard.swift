import GRDB
import GRDBSQLite

/// Watches one replay transaction of a rebuild: writes to the live tables being rebuilt, and
/// how many rows the shadow tables got.
///
/// It is SQLite's update hook, installed on the writer's connection for the length of one
/// replay: SQLite reports each inserted, updated or deleted row of a rowid table by name, so
/// a projection that names a live table in its SQL is caught at the first row it writes
/// there. The replay's statements run through SQLite's C API (`DirectStatement`), which
/// GRDB's transaction observers would not see; GRDB installs no update hook of its own while
/// no observer is registered, and the one found is put back. (Tables `WITHOUT ROWID` are not
/// reported; the rebuild's check for shadow tables left empty still catches a projection
/// that wrote only those.)
final class LiveTableGuard {
    /// The live tables, lower-cased: SQLite's names are case-insensitive.
    private let live: Set<String>
    /// The shadow tables, lower-cased.
    private let shadows: Set<String>
    /// The first live table written, as SQLite names it.
    private(set) var written: String?
    /// Rows written to the shadow tables so far.
    private(set) var shadowChanges = 0
    /// The table names SQLite reported (a name's pointer stays the same while the table lives)
    /// and what each was, so the rows of projections taking turns on a few tables compare
    /// pointers, not strings; past `knownLimit` names the oldest is told again.
    private var known: [(name: UnsafePointer<CChar>, kind: Kind)] = []
    private static let knownLimit = 16

    private enum Kind { case live, shadow, other }

    init(live: some Sequence<String>, shadows: some Sequence<String>) {
        self.live = Set(live.map { $0.lowercased() })
        self.shadows = Set(shadows.map { $0.lowercased() })
    }

    /// Runs `body` with the guard installed on `db`'s connection, then puts back the hook there was.
    func watching<T>(_ db: Database, _ body: () throws -> T) rethrows -> T {
        let context = Unmanaged.passUnretained(self).toOpaque()
        let previousContext = sqlite3_update_hook(db.sqliteConnection, { context, _, _, table, _ in
            guard let context, let table else { return }
            Unmanaged<LiveTableGuard>.fromOpaque(context).takeUnretainedValue().changed(table)
        }, context)
        defer {
            // sqlite3_update_hook gives back only the previous context, not its function: GRDB
            // installs its hook per statement when it has observers, so none is left to restore.
            _ = sqlite3_update_hook(db.sqliteConnection, nil, previousContext)
        }
        return try withExtendedLifetime(self) { try body() }
    }

    private func changed(_ table: UnsafePointer<CChar>) {
        let kind: Kind
        if let index = known.firstIndex(where: { $0.name == table }) {
            kind = known[index].kind
        } else {
            let name = String(cString: table).lowercased()
            kind = live.contains(name) ? .live : shadows.contains(name) ? .shadow : .other
            if known.count >= Self.knownLimit { known.removeFirst() }
            known.append((table, kind))
        }
        switch kind {
        case .live: if written == nil { written = String(cString: table) }
        case .shadow: shadowChanges += 1
        case .other: break
        }
    }
}
