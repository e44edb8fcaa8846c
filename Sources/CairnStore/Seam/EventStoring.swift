/// The store seam: what the runner, the console and the command line need of an
/// event store, and the one place where "SQLite" ends.
///
/// `EventStore` (SQLite through GRDB) implements it; a PostgreSQL store
/// implements the same protocol, its ledger (`LedgerReading`/`LedgerWriting`) and
/// the runner's `RunnerStore` additions (the candidate-query gate, candidate
/// execution, change capture), and nothing above it changes.
///
/// - transactions: `write` (commits) and `writeAndRollBack` (previews), each handing
///   out a `StoreTransaction` in which handlers load streams, append with optimistic
///   concurrency and run inline projections;
/// - bookkeeping: `readLedger`, `writeLedger`, and `maintain`, which also lets the
///   lock's transaction drop the shadow tables of dead rebuilds;
/// - projections: `projectionStates`, and shadow-table rebuild and swap
///   (`ProjectionRebuilder`);
/// - live views: `changeToken`, which moves whenever another process commits
///   something a view shows;
/// - errors: `explain` turns the store's own errors into `StoreError`s that say what to do.
public protocol EventStoring: AnyObject, Sendable {
    /// Where the store is, for messages: a file path or a server URL without its password.
    var location: String { get }
    /// The handlers, projections and upcasters the store runs.
    var domain: Domain { get }
    /// Runs `body` in one write transaction; what it appends and projects commits together.
    func write<T>(_ body: (StoreTransaction) throws -> T) throws -> T
    /// Runs `body` in a write transaction that is always rolled back.
    func writeAndRollBack<T>(_ body: (StoreTransaction) throws -> T) throws -> T
    /// Runs `body` on a read-only snapshot of the store: read-model queries outside a command.
    func query<T>(_ body: (any ReadModel) throws -> T) throws -> T
    /// Reads the bookkeeping in one read transaction.
    func readLedger<T>(_ body: (any LedgerReading) throws -> T) throws -> T
    /// Writes bookkeeping in one write transaction of its own.
    func writeLedger<T>(_ body: (any LedgerWriting) throws -> T) throws -> T
    /// Writes bookkeeping and does store upkeep in one write transaction.
    func maintain<T>(_ body: (any StoreMaintenance) throws -> T) throws -> T
    /// The position of the newest event, or 0.
    func headPosition() throws -> Int64
    /// The state of every registered projection.
    func projectionStates() throws -> [ProjectionState]
    /// Rebuilds the named projections (all when empty) into shadow tables and swaps them
    /// in, `chunk` events per transaction; `check` runs inside each transaction (the
    /// runner refreshes its lock there and stops on cancel).
    ///
    /// - Throws: `StoreError.unknownProjection` before anything is written, or the
    ///   failing projection's error (the shadow tables dropped, the live ones untouched).
    func rebuildProjections(
        _ names: [String], chunk: Int, shadowSuffix: String, check: (any LedgerWriting) throws -> Void,
        progress: (Int, Int) -> Void
    ) throws -> ProjectionRebuilder.Summary
    /// The events a migration wrote, in any run, oldest first, at most `limit`.
    func events(writtenBy migrationId: String, after position: Int64, limit: Int) throws -> [StoredEvent]
    /// How many events a migration wrote, over all its runs.
    func eventCount(writtenBy migrationId: String) throws -> Int
    /// A value that changes whenever events, runs, log lines, markers, overrides or the lock change.
    func changeToken() throws -> StoreChangeToken
    /// A number that changes whenever another connection (the application) commits a write:
    /// a long run uses it to notice it shares the store and let waiting writers in.
    func foreignWriteVersion() throws -> Int64
    /// The store's own error (an SQLite result code) as a `StoreError` naming `operation`; other errors as they are.
    func explain(_ error: any Error, operation: String) -> any Error
    /// Sets aside a little disk space for the bookkeeping that ends a run, where the store
    /// lives on a local disk; nil where it does not (a server).
    ///
    /// - Throws: `StoreError.noRoom` when the disk has too little room for even that:
    ///   a run started then could not record how it ended.
    func reserveSpaceForBookkeeping() throws -> (any SpaceReserve)?
    /// Closes the store's connections; the store is not used after.
    func close()
    /// Stops the store's own use of disk space that no write asked for (SQLite's automatic
    /// checkpoints, which grow the database file) for the rest of the process, so the
    /// space freed for the bookkeeping on a full disk goes to the bookkeeping.
    func spareDiskSpace()
}

extension EventStoring {
    /// Handles one command in its own transaction and returns the events it appended.
    @discardableResult
    public func execute(_ command: Command) throws -> [StoredEvent] {
        try write { transaction in try transaction.dispatch(command) }
    }
}

/// Disk space set aside for the bookkeeping that ends a run.
public protocol SpaceReserve: AnyObject, Sendable {
    /// Frees the space; true the first time.
    @discardableResult
    func release() -> Bool
}

/// Bookkeeping and store upkeep inside one write transaction: what the lock and the
/// recovery of dead work need.
public protocol StoreMaintenance {
    /// The ledger inside the transaction.
    var ledger: any LedgerWriting { get }
    /// The shadow tables in the store (`<table>__rebuild_<suffix>`), of rebuilds going on or dead.
    func shadowTables() throws -> [String]
    /// Drops shadow tables; the caller decides which rebuilds are dead.
    func dropShadowTables(_ names: [String]) throws
    /// The runs whose private preview copies still exist (dry-runs going on or dead).
    func previewCopyRuns() -> [Int64]
    /// Removes the preview copy of a dry-run that is over.
    func removePreviewCopy(run: Int64)
    /// Removes the disk reserves that dead processes left beside the store.
    func removeDeadReserves()
}

/// What `EventStoring.changeToken()` returns: equal tokens mean nothing a view shows has changed.
public struct StoreChangeToken: Sendable, Hashable {
    /// The parts compared, in a fixed order.
    public let parts: [Int64]

    /// A token of `parts`.
    public init(_ parts: [Int64]) {
        self.parts = parts
    }
}
