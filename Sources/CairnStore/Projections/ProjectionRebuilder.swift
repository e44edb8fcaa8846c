import Foundation
import GRDB

/// Rebuilds projections by replaying every event into fresh shadow tables, then
/// swapping them in with one short transaction.
///
/// The replay runs in chunks, each its own transaction, while the application
/// keeps appending (its inline projections write the live tables). The swap
/// transaction first folds the events appended since the last chunk, then drops
/// the live tables and renames the shadows into their place: readers see the
/// old tables or the new ones, never a half-built one.
public struct ProjectionRebuilder {
    /// What a rebuild did.
    public struct Summary: Sendable, Hashable {
        /// The projections rebuilt.
        public let projections: [String]
        /// The events replayed.
        public let events: Int
        /// Rows in each rebuilt table afterwards.
        public let rows: [String: Int]

        /// A summary of a rebuild (another store's rebuilder makes these too).
        package init(projections: [String], events: Int, rows: [String: Int]) {
            self.projections = projections
            self.events = events
            self.rows = rows
        }
    }

    let store: EventStore
    /// Events per replay transaction, unless told otherwise.
    public static let defaultChunk = 5_000
    /// Events per replay transaction.
    public var chunk = ProjectionRebuilder.defaultChunk
    /// The suffix of this rebuild's shadow tables (`<table>__rebuild_<suffix>`): 8 hex digits.
    public var shadowSuffix = ProjectionRebuilder.newShadowSuffix()

    /// A fresh shadow-table suffix.
    public static func newShadowSuffix() -> String {
        String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(8)).lowercased()
    }

    /// The suffix of a shadow table's name.
    public static func shadowSuffix(of table: String) -> String? {
        table.range(of: "__rebuild_", options: .backwards).map { String(table[$0.upperBound...]) }
    }

    /// A rebuilder over `store`.
    public init(store: EventStore) {
        self.store = store
    }

    /// Rebuilds the named projections (all when `names` is empty).
    ///
    /// `check` runs inside each transaction (the runner refreshes its lock there);
    /// `progress` gets the events replayed so far and the total.
    ///
    /// - Throws: `StoreError.unknownProjection` before anything is written, or the
    ///   failing projection's error (the shadow tables are dropped, the live ones untouched).
    public func rebuild(
        _ names: [String], check: (any LedgerWriting) throws -> Void = { _ in },
        progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> Summary {
        let projections = try select(names)
        let token = shadowSuffix
        var shadows: [String: String] = [:]
        for projection in projections {
            for table in projection.tables {
                shadows[table.name] = "\(table.name)__rebuild_\(token)"
            }
        }
        // Each event type's projections with their place in `projections`, which the tally counts by.
        let byType = Dictionary(
            grouping: projections.enumerated().flatMap { index, projection in projection.eventTypes.map { ($0, index) } },
            by: \.0
        ).mapValues { $0.map { (index: $0.1, projection: projections[$0.1]) } }
        // The shadow tables start with their keys only: their secondary indexes are built once,
        // under the live names, by the swap, unless a projection scans a table first (`ScanMeter`).
        let indexes = ShadowIndexes(statements: projections.flatMap { projection in
            projection.tables.flatMap { table in table.createStatements(as: shadows[table.name]!).dropFirst() }
        })
        do {
            try store.pool.write { db in
                try check(SQLiteLedger(db))
                for projection in projections {
                    for table in projection.tables {
                        try db.execute(sql: table.createStatements(as: shadows[table.name]!)[0])
                    }
                }
            }
            let total = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0 }
            var last: Int64 = 0
            var replayed = 0
            var tally = ReplayTally(projections: projections.count)
            var yield = WriterYield(store: store)
            while true {
                let count = try store.pool.write { db -> Int in
                    try check(SQLiteLedger(db))
                    let (count, position) = try replay(
                        after: last, limit: chunk, db: db, byType: byType, shadows: shadows, indexes: indexes, tally: &tally)
                    last = position
                    return count
                }
                replayed += count
                progress(replayed, max(total, replayed))
                if count < chunk { break }
                yield.afterCommit()
            }
            var rows: [String: Int] = [:]
            try store.pool.write { db in
                try check(SQLiteLedger(db))
                while true {
                    let (count, position) = try replay(
                        after: last, limit: chunk, db: db, byType: byType, shadows: shadows, indexes: indexes, tally: &tally)
                    last = position
                    replayed += count
                    if count < chunk { break }
                }
                try refuseEmptySwap(projections, tally: tally, shadows: shadows, db: db)
                let head = try Int64.fetchOne(db, sql: "SELECT max(position) FROM events") ?? 0
                let ledger = SQLiteLedger(db)
                for projection in projections {
                    for table in projection.tables {
                        try db.execute(sql: "DROP TABLE IF EXISTS \(table.name)")
                        try db.execute(sql: "ALTER TABLE \(shadows[table.name]!) RENAME TO \(table.name)")
                        // SQLite renames no index: the shadow's indexes are made again under the live
                        // names, or the next opening would add a second copy of each.
                        for index in table.indexes {
                            try db.execute(sql: "DROP INDEX IF EXISTS \(shadows[table.name]!)_by_\(index.joined(separator: "_"))")
                        }
                        for statement in table.createStatements(as: table.name).dropFirst() {
                            try db.execute(sql: statement)
                        }
                        rows[table.name] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.name)") ?? 0
                    }
                    try ledger.recordRebuild(name: projection.name, version: projection.version, checkpoint: head)
                }
                // The rebuild is done in this same transaction, so a rebuild killed before
                // here stays owed and one that got here can never be owed again.
                try ledger.settleRebuilds(projections.map(\.name))
            }
            progress(replayed, max(total, replayed))
            return Summary(projections: projections.map(\.name), events: replayed, rows: rows)
        } catch {
            _ = try? store.pool.write { db in
                for shadow in shadows.values {
                    try db.execute(sql: "DROP TABLE IF EXISTS \(shadow)")
                }
            }
            throw error
        }
    }

    /// The GLOB that matches the name of a shadow table: `<table>__rebuild_<8 hex digits>`.
    static let shadowPattern = "*__rebuild_" + String(repeating: "[0-9a-f]", count: 8)

    /// The shadow tables in the store, left by rebuilds that are running or that died.
    package static func shadowTables(in db: Database) throws -> [String] {
        try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB ? ORDER BY name",
            arguments: [shadowPattern])
    }

    /// Drops shadow tables by name.
    package static func drop(shadows: [String], in db: Database) throws {
        for shadow in shadows where shadow.range(of: "__rebuild_") != nil {
            try db.execute(sql: "DROP TABLE IF EXISTS \(shadow.quotedDatabaseIdentifier)")
        }
    }

    /// The projections named, in registration order; all of them when `names` is empty.
    ///
    /// - Throws: `StoreError.unknownProjection` naming the registered ones.
    public func select(_ names: [String]) throws -> [any Projection] {
        try Self.select(names, in: store.domain)
    }

    /// The projections of `domain` named, in registration order; all of them when `names` is empty.
    ///
    /// - Throws: `StoreError.unknownProjection` naming the registered ones.
    public static func select(_ names: [String], in domain: Domain) throws -> [any Projection] {
        let all = domain.projections
        for name in names where !all.contains(where: { $0.name == name }) {
            throw StoreError.unknownProjection(name: name, known: all.map(\.name))
        }
        return names.isEmpty ? all : all.filter { names.contains($0.name) }
    }

    /// The secondary indexes of a rebuild's shadow tables, held back until a projection scans.
    final class ShadowIndexes {
        /// Their `CREATE INDEX` statements, under the shadow tables' names.
        let statements: [String]
        /// The full scans of the replay's statements.
        let meter = ScanMeter()
        private var created = false

        init(statements: [String]) {
            self.statements = statements
        }

        /// Creates the indexes once a statement of the replay has scanned a table in full: a
        /// projection that looks its rows up by an indexed column then searches an index.
        func createIfScanned(_ db: Database) throws {
            guard !created, meter.fullScanSteps > 0 else { return }
            created = true
            for statement in statements { try db.execute(sql: statement) }
        }
    }

    /// What the replay gave each projection and what it wrote, for `refuseEmptySwap`.
    struct ReplayTally {
        /// Events given to each projection, by its place in the rebuild's list.
        var events: [Int]
        /// Rows of its shadow tables each projection's `apply` calls changed.
        var changes: [Int]

        init(projections: Int) {
            events = Array(repeating: 0, count: projections)
            changes = Array(repeating: 0, count: projections)
        }
    }

    /// Folds up to `limit` events after `position` into the shadow tables; returns how many and the last position.
    ///
    /// A projection that writes one of the live tables being rebuilt (its SQL names the
    /// table instead of `context.table(_:)`) stops the rebuild with `RebuildRefusal`.
    private func replay(
        after position: Int64, limit: Int, db: Database, byType: [String: [(index: Int, projection: any Projection)]],
        shadows: [String: String], indexes: ShadowIndexes, tally: inout ReplayTally
    ) throws -> (Int, Int64) {
        let guardian = LiveTableGuard(live: shadows.keys, shadows: shadows.values)
        return try guardian.watching(db) {
            // The replay's reads and writes go through SQLite's C API: the guard is SQLite's own hook.
            let rows = try DirectStatement(
                db, sql: "SELECT \(StoredEvent.columns) FROM events WHERE position > ? ORDER BY position LIMIT ?")
            rows.bind(1, position)
            rows.bind(2, Int64(limit))
            defer { rows.finish() }
            let context = ProjectionContext(
                db: db, tableNames: shadows, direct: true, meter: indexes.meter, memo: StatementMemo())
            let upcasters = store.domain.upcasters
            var count = 0
            var last = position
            var previous: StoredEvent?
            while try rows.step() {
                let event = StoredEvent(
                    position: rows.int64(0), streamId: rows.text(1), streamType: rows.text(2, reusing: previous?.streamType),
                    tenantId: rows.text(3, reusing: previous?.tenantId), version: Int(rows.int64(4)),
                    type: rows.text(5, reusing: previous?.type), schemaVersion: Int(rows.int64(6)), payload: rows.text(7),
                    metadata: rows.text(8, reusing: previous?.metadata), recordedAt: rows.text(9, reusing: previous?.recordedAt))
                previous = event
                count += 1
                last = event.position
                if count % 256 == 0 { try indexes.createIfScanned(db) }
                guard let projections = byType[event.type] else { continue }
                let visible = try upcasters.upcast(event)
                for (index, projection) in projections {
                    let before = guardian.shadowChanges
                    try projection.apply(visible, in: context)
                    if let table = guardian.written {
                        throw RebuildRefusal(projection: projection.name, cause: .wroteLiveTable(
                            table: table, shadow: shadows[table] ?? shadows.first { $0.key.lowercased() == table.lowercased() }?.value ?? table,
                            eventPosition: event.position, eventType: event.type))
                    }
                    tally.events[index] += 1
                    tally.changes[index] += guardian.shadowChanges - before
                }
            }
            try indexes.createIfScanned(db)
            return (count, last)
        }
    }

    /// Refuses to swap in the shadow tables of a projection that was given events, wrote none
    /// of its shadow tables and left them empty: its SQL wrote some other table, and the swap
    /// would leave its read model empty. (A projection whose rows rightly cancel out did write them.)
    private func refuseEmptySwap(
        _ projections: [any Projection], tally: ReplayTally, shadows: [String: String], db: Database
    ) throws {
        for (index, projection) in projections.enumerated() {
            let events = tally.events[index]
            guard events > 0, tally.changes[index] == 0, !projection.tables.isEmpty else { continue }
            var rows = 0
            for table in projection.tables {
                rows += try Int.fetchOne(db, sql: "SELECT count(*) FROM \(shadows[table.name]!)") ?? 0
            }
            if rows == 0 {
                throw RebuildRefusal(
                    projection: projection.name, cause: .wroteNothing(events: events, tables: projection.tables.map(\.name)))
            }
        }
    }
}
