import GRDB

/// The SQLite side of the store seam.
extension EventStore: EventStoring {
    public var location: String { path }

    public func maintain<T>(_ body: (any StoreMaintenance) throws -> T) throws -> T {
        try pool.write { db in try body(SQLiteMaintenance(db: db, path: path)) }
    }

    public func foreignWriteVersion() throws -> Int64 {
        // On the writer's connection, outside a transaction: it changes when any other connection commits.
        try pool.writeWithoutTransaction { db in try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
    }

    public func changeToken() throws -> StoreChangeToken {
        try read { db in
            let head = try Int64.fetchOne(db, sql: "SELECT coalesce(max(position), 0) FROM events") ?? 0
            return StoreChangeToken([head] + (try SQLiteLedger(db).changeParts()))
        }
    }

    public func rebuildProjections(
        _ names: [String], chunk: Int, shadowSuffix: String, check: (any LedgerWriting) throws -> Void,
        progress: (Int, Int) -> Void
    ) throws -> ProjectionRebuilder.Summary {
        var rebuilder = ProjectionRebuilder(store: self)
        rebuilder.chunk = chunk
        rebuilder.shadowSuffix = shadowSuffix
        return try rebuilder.rebuild(names, check: check, progress: progress)
    }

    public func events(writtenBy migrationId: String, after position: Int64, limit: Int) throws -> [StoredEvent] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(StoredEvent.columns) FROM events WHERE migration_id = ? AND position > ? ORDER BY position LIMIT ?",
                arguments: [migrationId, position, limit]
            ).map(StoredEvent.init(row:))
        }
    }

    public func eventCount(writtenBy migrationId: String) throws -> Int {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM events WHERE migration_id = ?", arguments: [migrationId]) ?? 0
        }
    }

    public func reserveSpaceForBookkeeping() throws -> (any SpaceReserve)? {
        // As much as the disk allows, up to 1 MiB: even 64 KiB holds a run's last lines and its end.
        for bytes in [1 << 20, 1 << 18, 1 << 16] {
            if let reserve = FileReserve(besides: path, bytes: bytes) { return reserve }
        }
        throw StoreError.noRoom(path: path, freeBytes: FileReserve.freeBytes(besides: path) ?? 0)
    }

    public func close() {
        try? pool.close()
    }

    public func spareDiskSpace() {
        _ = try? pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
    }

    public func explain(_ error: any Error, operation: String) -> any Error {
        guard let database = error as? DatabaseError else { return error }
        return EventStore.translate(database, path: path, operation: operation, waited: busyTimeout)
    }
}

/// Store upkeep on SQLite, inside the caller's write transaction.
struct SQLiteMaintenance: StoreMaintenance {
    let db: Database
    let path: String

    var ledger: any LedgerWriting { SQLiteLedger(db) }

    func shadowTables() throws -> [String] {
        try ProjectionRebuilder.shadowTables(in: db)
    }

    func dropShadowTables(_ names: [String]) throws {
        try ProjectionRebuilder.drop(shadows: names, in: db)
    }

    func previewCopyRuns() -> [Int64] {
        PreviewCopy.runs(besides: path)
    }

    func removePreviewCopy(run: Int64) {
        PreviewCopy.remove(PreviewCopy.path(besides: path, run: run))
    }

    func removeDeadReserves() {
        FileReserve.removeDead(besides: path)
    }
}
