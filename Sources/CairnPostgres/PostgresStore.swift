import CairnStore
import Foundation
import PostgresNIO

/// The event store on PostgreSQL: the same tables as the SQLite store, for applications
/// whose replicas share one database.
///
/// Every transaction runs on a session (connection) of its own, taken from a small pool;
/// the calling thread waits for the server (see `PostgresSession` for why that never
/// blocks an event loop). Writes run at READ COMMITTED, as the application's own
/// writes do; reads run in a REPEATABLE READ READ ONLY transaction, so a report is
/// one snapshot.
public final class PostgresStore: EventStoring, @unchecked Sendable {
    /// Where the store is, without the password.
    public let url: PostgresURL
    public let domain: Domain

    private let pool: PostgresSessionPool
    private let listener: PostgresChangeListener
    /// The change token last read from the tables, and the notification count it was read at.
    private let tokenLock = NSLock()
    private var lastToken: (changes: Int64, token: StoreChangeToken)?

    /// Opens (and, when asked, creates) the store at `url`.
    ///
    /// - Throws: `PostgresStoreError` when the server cannot be reached, refuses the
    ///   login, or the database has no Cairn tables (with `.existing` or `.readOnly`).
    public init(url: PostgresURL, domain: Domain, mode: EventStore.OpenMode = .existing) throws {
        self.url = url
        self.domain = domain
        pool = PostgresSessionPool(url: url)
        listener = PostgresChangeListener(url: url)
        try pool.with { session in try self.setUp(session, mode: mode) }
    }

    /// Opens the store at `text`, a `postgres://` URL.
    public convenience init(_ text: String, domain: Domain, mode: EventStore.OpenMode = .existing) throws {
        try self.init(url: PostgresURL(text), domain: domain, mode: mode)
    }

    /// Drops the store's tables — events, Cairn's bookkeeping and `domain`'s read tables —
    /// so a demo can start again from nothing (`cairn demo --reset`).
    public static func dropTables(url: PostgresURL, domain: Domain) throws {
        let session = try PostgresSession(url: url)
        defer { session.close() }
        let tables = ["events", "cairn_meta", "cairn_projections", "cairn_run_log", "cairn_attempts", "cairn_runs", "cairn_markers",
                      "cairn_overrides", "cairn_lock", "cairn_owed_projections"]
            + domain.projections.flatMap { $0.tables.map(\.name) }
        do {
            try session.execute("DROP TABLE IF EXISTS \(tables.map(PostgresSQL.identifier).joined(separator: ", ")) CASCADE")
        } catch {
            throw PostgresStoreError(error, url: url, operation: "dropping the demo's tables")
        }
    }

    /// Closes the pool's connections.
    public func close() {
        pool.close()
        listener.close()
    }

    deinit {
        pool.close()
        listener.close()
    }

    public var location: String { url.redacted }

    // MARK: set-up

    private func setUp(_ session: PostgresSession, mode: EventStore.OpenMode) throws {
        let stored: Int
        do {
            stored = try storedVersion(session)
        } catch {
            throw explain(error, operation: "opening the store")
        }
        if stored > PostgresSchema.version {
            throw PostgresStoreError(
                kind: .schema, url: url.redacted, operation: "opening the store",
                message: "its Cairn tables are at version \(stored), newer than this build's \(PostgresSchema.version); use a newer Cairn")
        }
        if stored == 0 && mode != .createIfNeeded {
            throw PostgresStoreError(
                kind: .schema, url: url.redacted, operation: "opening the store", message: "the database has no Cairn tables")
        }
        guard mode != .readOnly else { return }
        if stored == PostgresSchema.version, try isSetUp(session) { return }
        do {
            try transaction(session) {
                // Two replicas starting at once: one creates, the other waits and finds it done.
                try session.execute("SELECT pg_advisory_xact_lock($1)", [.int(PostgresSchema.setupLockKey)])
                for statement in PostgresSchema.create {
                    try session.execute(statement)
                }
                try session.execute(
                    """
                    INSERT INTO cairn_meta (key, value) VALUES ('schema_version', $1)
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value
                    """,
                    [.text(String(PostgresSchema.version))])
                try PostgresStore.grantReader(session)
                let ledger = PostgresLedger(session: session)
                for projection in domain.projections {
                    for table in projection.tables {
                        for statement in PostgresSchema.createStatements(table, as: table.name) {
                            try session.execute(statement)
                        }
                    }
                    try ledger.registerProjection(name: projection.name, version: projection.version)
                }
            }
        } catch {
            throw explain(error, operation: "creating Cairn's tables")
        }
    }

    /// The role candidate queries run as, where the connecting user may create it: it may only read.
    public static let readerRole = "cairn_reader"

    /// Creates the reader role when it is missing and the user may, and lets it read this
    /// schema's tables, now and to come; a user without the right skips this (the README
    /// says what to grant), and the other layers of the gate still hold.
    private static func grantReader(_ session: PostgresSession, attempt: Int = 0) throws {
        try session.execute("SAVEPOINT cairn_reader")
        do {
            let exists = try session.rows("SELECT 1 FROM pg_roles WHERE rolname = $1", [.text(readerRole)]).isEmpty == false
            if !exists {
                try session.execute("CREATE ROLE \(readerRole) NOLOGIN")
            }
            if try session.rows("SELECT pg_has_role(current_user, $1, 'MEMBER')", [.text(readerRole)]).first?.values.first?.int != 1 {
                try session.execute("GRANT \(readerRole) TO current_user")
            }
            try session.execute("GRANT USAGE ON SCHEMA \(PostgresSQL.identifier("public")) TO \(readerRole)")
            try session.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(readerRole)")
            try session.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO \(readerRole)")
            try session.execute("RELEASE SAVEPOINT cairn_reader")
        } catch {
            try session.execute("ROLLBACK TO SAVEPOINT cairn_reader")
            try session.execute("RELEASE SAVEPOINT cairn_reader")
            // Roles are the whole server's: another database's set-up may have changed the same
            // catalog rows at the same moment. Try again a few times, then go without.
            if attempt < 3, (error as? PSQLError)?.serverInfo?[.sqlState].map({ ["XX000", "40001", "23505"].contains($0) }) == true {
                Thread.sleep(forTimeInterval: 0.05)
                try grantReader(session, attempt: attempt + 1)
            }
        }
    }

    /// Whether this connection may act as the reader role and the role may read every table of
    /// the schema: then candidate queries run as it. Asked each time (a table made since without
    /// the grant would make the role fail where the user succeeds): one catalog query.
    package func readerAvailable(_ session: PostgresSession) throws -> Bool {
        try session.rows(
            """
            SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AND pg_has_role(current_user, $1, 'MEMBER')
              AND NOT EXISTS (
                SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v', 'm', 'p')
                  AND NOT has_table_privilege($1, c.oid, 'SELECT'))
            """,
            [.text(Self.readerRole)]
        ).first?.values.first?.int == 1
    }

    private func storedVersion(_ session: PostgresSession) throws -> Int {
        let exists = try session.rows("SELECT to_regclass('cairn_meta') IS NOT NULL").first?.values.first?.int == 1
        guard exists else { return 0 }
        let text = try session.rows("SELECT value FROM cairn_meta WHERE key = 'schema_version'").first?.values.first?.string
        return text.flatMap(Int.init) ?? 0
    }

    /// True when every projection's tables and ledger row exist: opening then writes nothing.
    private func isSetUp(_ session: PostgresSession) throws -> Bool {
        let registered = Set(try PostgresLedger(session: session).projectionRecords().map(\.name))
        for projection in domain.projections {
            guard registered.contains(projection.name) else { return false }
            for table in projection.tables {
                let found = try session.rows("SELECT to_regclass($1) IS NOT NULL", [.text(table.name)]).first?.values.first?.int
                guard found == 1 else { return false }
            }
        }
        return true
    }

    // MARK: transactions

    /// Runs `body` between `BEGIN` and `COMMIT` on `session`, rolling back when it throws; with
    /// `notify`, the commit tells every listening view that something changed.
    package func transaction<T>(
        _ session: PostgresSession, begin: String = "BEGIN", rollBack: Bool = false, notify: Bool = false, _ body: () throws -> T
    ) throws -> T {
        try session.execute(begin)
        let result: T
        do {
            result = try body()
        } catch {
            _ = try? session.execute("ROLLBACK")
            throw error
        }
        if rollBack {
            try session.execute("ROLLBACK")
        } else {
            if notify {
                try session.execute("NOTIFY \(PostgresChangeListener.channel)")
            }
            try session.execute("COMMIT")
        }
        return result
    }

    /// Runs `body` with a session of the pool.
    package func withSession<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try pool.with(body)
    }

    /// Runs `body` in one write transaction, after every other Cairn writer of this database:
    /// the transaction first takes the writer lock (`pg_advisory_xact_lock`, released at
    /// commit or rollback), as SQLite's one writer at a time does. So a transaction sees no
    /// other appends while it runs (a batch's counts and candidates agree, projections'
    /// checkpoints move in order), and positions commit in position order. Waiting writers
    /// are served in turn, so a long migration lets the application's commands in between batches.
    public func write<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        try translating("writing") {
            try pool.with { session in
                try transaction(session, notify: true) {
                    try session.execute("SELECT pg_advisory_xact_lock($1)", [.int(PostgresSchema.writerLockKey)])
                    let transaction = StoreTransaction(store: self, backend: PostgresTransactionBackend(session: session))
                    let result = try body(transaction)
                    try transaction.finish()
                    return result
                }
            }
        }
    }

    public func writeAndRollBack<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        try translating("previewing") {
            try pool.with { session in
                try transaction(session, rollBack: true) {
                    try body(StoreTransaction(store: self, backend: PostgresTransactionBackend(session: session)))
                }
            }
        }
    }

    public func query<T>(_ body: (any ReadModel) throws -> T) throws -> T {
        try read { session in try body(PostgresReadModel(session: session)) }
    }

    /// Runs `body` in a read-only snapshot.
    package func read<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try translating("reading") {
            try pool.with { session in
                try transaction(session, begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { try body(session) }
            }
        }
    }

    public func readLedger<T>(_ body: (any LedgerReading) throws -> T) throws -> T {
        try read { session in try body(PostgresLedger(session: session)) }
    }

    public func writeLedger<T>(_ body: (any LedgerWriting) throws -> T) throws -> T {
        try translating("writing the bookkeeping") {
            try pool.with { session in try transaction(session, notify: true) { try body(PostgresLedger(session: session)) } }
        }
    }

    public func maintain<T>(_ body: (any StoreMaintenance) throws -> T) throws -> T {
        try translating("writing the bookkeeping") {
            try pool.with { session in try transaction(session, notify: true) { try body(PostgresMaintenance(session: session)) } }
        }
    }

    /// Runs `body`, turning the server's errors into `PostgresStoreError`s naming `operation`.
    package func translating<T>(_ operation: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw explain(error, operation: operation)
        }
    }

    // MARK: reads

    public func headPosition() throws -> Int64 {
        try read { session in try session.rows("SELECT coalesce(max(position), 0) FROM events").first?.values.first?.int ?? 0 }
    }

    public func projectionStates() throws -> [ProjectionState] {
        try read { session in
            let head = try session.rows("SELECT coalesce(max(position), 0) FROM events").first?.values.first?.int ?? 0
            return ProjectionState.states(
                of: domain.projections, records: try PostgresLedger(session: session).projectionRecords(), head: head)
        }
    }

    public func events(writtenBy migrationId: String, after position: Int64, limit: Int) throws -> [StoredEvent] {
        try read { session in
            try session.rows(
                """
                SELECT \(PostgresTransactionBackend.columns) FROM events
                WHERE migration_id = $1 AND position > $2 ORDER BY position LIMIT $3
                """,
                [.text(migrationId), .int(position), .int(Int64(limit))]
            ).map(PostgresTransactionBackend.event)
        }
    }

    public func eventCount(writtenBy migrationId: String) throws -> Int {
        try read { session in
            Int(try session.rows("SELECT count(*) FROM events WHERE migration_id = $1", [.text(migrationId)])
                .first?.values.first?.int ?? 0)
        }
    }

    /// The change token: read from the tables only when a notification came since the last
    /// read (`LISTEN cairn_changes`), so an idle view costs the server nothing; read every
    /// time while no connection listens.
    public func changeToken() throws -> StoreChangeToken {
        let changes = listener.changes
        if let changes {
            tokenLock.lock()
            let last = lastToken
            tokenLock.unlock()
            if let last, last.changes == changes { return last.token }
        }
        let token = try read { session in
            let head = try session.rows("SELECT coalesce(max(position), 0) FROM events").first?.values.first?.int ?? 0
            return StoreChangeToken([head] + (try PostgresLedger(session: session).changeParts()))
        }
        if let changes {
            tokenLock.lock()
            lastToken = (changes, token)
            tokenLock.unlock()
        }
        return token
    }

    /// Always 0: writers waiting for the writer lock are served in the order they asked, so the
    /// application's commands get in between a run's batches without the run pausing for them.
    public func foreignWriteVersion() throws -> Int64 { 0 }

    public func rebuildProjections(
        _ names: [String], chunk: Int, shadowSuffix: String, check: (any LedgerWriting) throws -> Void,
        progress: (Int, Int) -> Void
    ) throws -> ProjectionRebuilder.Summary {
        try PostgresRebuilder(store: self, chunk: chunk, shadowSuffix: shadowSuffix).rebuild(names, check: check, progress: progress)
    }

    public func explain(_ error: any Error, operation: String) -> any Error {
        switch error {
        case is PostgresStoreError:
            return error
        case is PSQLError:
            return PostgresStoreError(error, url: url, operation: operation)
        case is PostgresSessionClosed:
            return PostgresStoreError(
                kind: .unreachable, url: url.redacted, operation: operation, message: "the connection to the server was closed")
        default:
            if "\(type(of: error))".contains("NIO") || "\(type(of: error))".contains("Channel") {
                return PostgresStoreError(error, url: url, operation: operation)
            }
            return error
        }
    }

    /// Nil: a server's disk is not the caller's to reserve.
    public func reserveSpaceForBookkeeping() throws -> (any SpaceReserve)? { nil }

    public func spareDiskSpace() {}
}

/// Store upkeep on PostgreSQL, inside the caller's transaction: shadow tables of dead
/// rebuilds; there are no preview copies or disk reserves.
struct PostgresMaintenance: StoreMaintenance {
    let session: PostgresSession

    var ledger: any LedgerWriting { PostgresLedger(session: session) }

    func shadowTables() throws -> [String] {
        try session.rows(
            """
            SELECT tablename FROM pg_tables
            WHERE schemaname = current_schema() AND tablename LIKE '%\\_\\_rebuild\\_%' ORDER BY tablename
            """
        ).compactMap { $0.values.first?.string }
    }

    func dropShadowTables(_ names: [String]) throws {
        for name in names {
            try session.execute("DROP TABLE IF EXISTS \(PostgresSQL.identifier(name))")
        }
    }

    func previewCopyRuns() -> [Int64] { [] }

    func removePreviewCopy(run: Int64) {}

    func removeDeadReserves() {}
}
