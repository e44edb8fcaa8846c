import GRDB

extension EventStore {
    /// Reads the bookkeeping in one read transaction.
    public func readLedger<T>(_ body: (any LedgerReading) throws -> T) throws -> T {
        try pool.read { db in try body(SQLiteLedger(db)) }
    }

    /// Writes bookkeeping in one write transaction of its own (a log line, the end of a run).
    ///
    /// Never call it from inside a store transaction; use `StoreTransaction.ledger` there.
    public func writeLedger<T>(_ body: (any LedgerWriting) throws -> T) throws -> T {
        try pool.write { db in try body(SQLiteLedger(db)) }
    }
}

extension StoreTransaction {
    /// The ledger inside this transaction: bookkeeping written here commits or rolls back with the events.
    public var ledger: any LedgerWriting { backend.ledger }
}
