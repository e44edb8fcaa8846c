import Foundation
import GRDB

/// The event store: one SQLite file in WAL mode holding events, read-model
/// tables and Cairn's bookkeeping tables.
///
/// Appends go through `write`, which hands out a `StoreTransaction`; handlers
/// and inline projections run inside it, so events and read tables commit together.
public final class EventStore: Sendable {
    /// How to open the database file.
    public enum OpenMode: Sendable {
        /// The file must exist and hold Cairn's tables (older versions are upgraded).
        case existing
        /// Create the file and Cairn's tables when they are missing.
        case createIfNeeded
        /// Only read: the file is never written, not even to set up WAL, so reading
        /// commands leave it byte for byte as it was (and work on a read-only file).
        /// The tables must be at this build's version.
        case readOnly
    }

    /// Tuning that the application may change.
    public struct Options: Sendable {
        /// How long a write waits for another connection's write lock before failing.
        public var busyTimeout: TimeInterval = 10
        /// `PRAGMA synchronous = NORMAL` (default): in WAL mode a crash of the process
        /// never loses a commit; a power loss may lose the last commits but never
        /// leaves a half-written one. Set false for `FULL`, which also survives power loss.
        public var relaxedSync = true

        /// The default options.
        public init() {}
    }

    /// The database file's path.
    public let path: String
    /// The connection pool: concurrent readers, one writer.
    package let pool: DatabasePool
    /// The handlers and projections the store runs.
    public let domain: Domain
    /// How long a write waits for another connection's write lock.
    public let busyTimeout: TimeInterval

    /// Opens (and, when asked, creates) the store at `path`.
    ///
    /// - Throws: `StoreError` when the file is missing, not a database, not writable
    ///   or written by a newer Cairn; the file is left untouched in those cases.
    public init(path: String, domain: Domain, mode: OpenMode = .existing, options: Options = Options()) throws {
        // The file's own path, through symbolic links: SQLite names the -wal and -shm files after
        // the path it is given, and every process must meet the same ones.
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        self.path = absolute
        self.domain = domain
        let exists = FileManager.default.fileExists(atPath: absolute)
        if !exists && mode != .createIfNeeded {
            throw StoreError.databaseNotFound(path: absolute)
        }
        if exists {
            var info = stat()
            if stat(absolute, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_nlink > 1 {
                throw StoreError.hardLinked(path: absolute, links: Int(info.st_nlink))
            }
            try EventStore.checkBeforeOpening(absolute, mode: mode)
        } else {
            try EventStore.createPrivately(absolute)
        }
        var configuration = Configuration()
        // GRDB hands SQLite milliseconds as a 32-bit number: keep the wait finite, at most a week.
        let busyTimeout = options.busyTimeout.isFinite ? min(max(options.busyTimeout, 0), 7 * 24 * 3600) : 7 * 24 * 3600
        configuration.busyMode = .timeout(busyTimeout)
        self.busyTimeout = busyTimeout
        configuration.label = "cairn"
        configuration.readonly = mode == .readOnly
        let relaxed = options.relaxedSync
        configuration.prepareDatabase { db in
            if relaxed {
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
        }
        do {
            pool = try DatabasePool(path: absolute, configuration: configuration)
            if mode == .readOnly {
                let stored = try pool.read { db in try BookkeepingSchema.storedVersion(db) }
                guard stored == BookkeepingSchema.currentVersion else {
                    throw StoreError.olderSchema(path: absolute, found: stored, current: BookkeepingSchema.currentVersion)
                }
                return
            }
            // Only a store that needs it is written at opening: a second runner opening the store
            // while the first writes batch after batch must not queue for the write lock here.
            // Read on the writer's connection, outside a transaction: that takes no SQLite write
            // lock, and opens no reader that could be the last connection to close (a read-only
            // one cannot checkpoint the WAL into the file then).
            let current = try pool.writeWithoutTransaction { db in try EventStore.isSetUp(domain.projections, in: db) }
            if !current {
                try pool.write { db in
                    let stored = try BookkeepingSchema.storedVersion(db)
                    try BookkeepingSchema.upgrade(db, from: stored)
                    try EventStore.registerProjections(domain.projections, in: db)
                }
            }
        } catch let error as DatabaseError {
            throw EventStore.translate(error, path: absolute, operation: "opening the store", waited: options.busyTimeout)
        }
    }

    /// Creates a new database file, and the folders missing above it, for the owner only
    /// (`0600`, folders `0700`): an event store and its run logs hold people's data.
    /// SQLite gives the `-wal` and `-shm` files the database file's mode. Existing files
    /// and folders keep theirs.
    static func createPrivately(_ path: String) throws {
        var missing: [String] = []
        var folder = (path as NSString).deletingLastPathComponent
        while !folder.isEmpty, folder != "/", !FileManager.default.fileExists(atPath: folder) {
            missing.append(folder)
            folder = (folder as NSString).deletingLastPathComponent
        }
        for created in missing.reversed() where mkdir(created, 0o700) != 0 && errno != EEXIST {
            throw StoreError.readOnlyDatabase(
                path: path, detail: "cannot create the folder \(created): \(String(cString: strerror(errno)))")
        }
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        if descriptor < 0 && errno != EEXIST {
            throw StoreError.readOnlyDatabase(path: path, detail: "cannot create the file: \(String(cString: strerror(errno)))")
        }
        if descriptor >= 0 { _ = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true) }
    }

    /// Reads the file without writing to see whether it may be opened.
    private static func checkBeforeOpening(_ path: String, mode: OpenMode) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw StoreError.notADatabase(path: path, detail: "it is a folder; --db names the database file, e.g. \(path)/events.sqlite")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError.readOnlyDatabase(path: path, detail: "the file cannot be read")
        }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        try? handle.close()
        if header.isEmpty {
            if mode != .createIfNeeded {
                throw StoreError.notADatabase(path: path, detail: "the file is empty")
            }
            return
        }
        guard header == Data("SQLite format 3\u{0}".utf8) else {
            throw StoreError.notADatabase(path: path, detail: "no SQLite header")
        }
        if let shortfall = truncation(of: path) {
            throw StoreError.notADatabase(path: path, detail: shortfall)
        }
        var configuration = Configuration()
        configuration.readonly = true
        // Another process may be recovering the WAL of one that died, or checkpointing: wait as a writer would.
        configuration.busyMode = .timeout(Options().busyTimeout)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let stored = try queue.read { db in
                _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master")
                return try BookkeepingSchema.storedVersion(db)
            }
            try queue.close()
            if stored > BookkeepingSchema.currentVersion {
                throw StoreError.newerSchema(path: path, found: stored, supported: BookkeepingSchema.currentVersion)
            }
            if stored == 0 && mode != .createIfNeeded {
                throw StoreError.notADatabase(
                    path: path, detail: "it has no Cairn tables; add them with `\(ToolName.current) init --db \(path)`")
            }
        } catch let error as DatabaseError {
            throw translate(error, path: path, operation: "reading the database header")
        }
        guard mode != .readOnly else { return }
        // The mode bits, not only access(2): a superuser may write anything, but a file
        // made read-only (chmod a-w) is meant to stay as it is.
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & 0o222 == 0 {
            throw StoreError.readOnlyDatabase(path: path, detail: "the file is read-only (mode \(String(info.st_mode & 0o777, radix: 8)))")
        }
        if access(path, W_OK) != 0 || access(URL(fileURLWithPath: path).deletingLastPathComponent().path, W_OK) != 0 {
            throw StoreError.readOnlyDatabase(path: path, detail: "permission denied")
        }
    }

    /// True when the bookkeeping is at this build's version and every projection's tables
    /// and ledger row exist: opening then writes nothing.
    private static func isSetUp(_ projections: [any Projection], in db: Database) throws -> Bool {
        guard try BookkeepingSchema.storedVersion(db) == BookkeepingSchema.currentVersion else { return false }
        let registered = Set(try SQLiteLedger(db).projectionRecords().map(\.name))
        for projection in projections {
            guard registered.contains(projection.name) else { return false }
            for table in projection.tables {
                guard try db.tableExists(table.name) else { return false }
                for index in table.indexes {
                    let name = "\(table.name)_by_\(index.joined(separator: "_"))"
                    guard try Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?",
                                            arguments: [name]) == true else { return false }
                }
            }
        }
        return true
    }

    /// Why the file is shorter than its header says, or nil when it is not.
    ///
    /// The header records the page size (offset 16) and, when its change counter matches
    /// (offsets 24 and 92), the number of pages (offset 28). Only a file without a WAL is
    /// judged: a checkpoint that a full disk stopped half-way leaves a header that counts
    /// pages still only in the WAL, and SQLite reads them from there.
    private static func truncation(of path: String) -> String? {
        // The file itself, not a symbolic link to it.
        let path = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int ?? 0
        guard wal == 0, let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let header = try? handle.read(upToCount: 100), header.count == 100 else {
            return "the file ends inside its 100-byte header"
        }
        func integer(_ offset: Int, _ width: Int) -> Int {
            header[offset..<(offset + width)].reduce(0) { $0 << 8 | Int($1) }
        }
        let pageSize = integer(16, 2) == 1 ? 65_536 : integer(16, 2)
        let pages = integer(28, 4)
        guard pages > 0, integer(24, 4) == integer(92, 4), pageSize >= 512,
              let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int,
              size < pages * pageSize else { return nil }
        return "it is truncated: \(size) bytes, but its header says \(pages) pages of \(pageSize) bytes"
    }

    /// Creates missing read tables and registers projections in the ledger.
    private static func registerProjections(_ projections: [any Projection], in db: Database) throws {
        let ledger = SQLiteLedger(db)
        for projection in projections {
            for table in projection.tables {
                for statement in table.createStatements(as: table.name) {
                    try db.execute(sql: statement)
                }
            }
            // A projection seen for the first time starts at checkpoint 0: on an
            // empty store that is current; on a store with events it is behind
            // and stays behind (stale) until it is rebuilt.
            try ledger.registerProjection(name: projection.name, version: projection.version)
        }
    }

    /// Why a database is busy when it is in rollback-journal mode, where any reader blocks
    /// every writer (in WAL mode, Cairn's own, readers never do); empty otherwise.
    static func rollbackJournalNote(_ path: String) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        guard let header = try? handle.read(upToCount: 20), header.count == 20, header[18] == 1 else { return "" }
        return "; the file is in rollback-journal mode (journal_mode=DELETE), where one open reader — an sqlite3 shell,"
            + " a backup, another application — blocks every writer; Cairn switches it to WAL, where readers never do,"
            + " once it can write"
    }

    /// Maps an SQLite error to the store's own error with the file's path; `waited` is the
    /// busy timeout the connection had, for a busy database.
    package static func translate(
        _ error: DatabaseError, path: String, operation: String, waited: TimeInterval = Options().busyTimeout
    ) -> StoreError {
        switch error.resultCode {
        case .SQLITE_NOTADB:
            return .notADatabase(path: path, detail: "SQLite says: file is not a database")
        case .SQLITE_CORRUPT:
            return .notADatabase(path: path, detail: "SQLite says the file is damaged: \(error.message ?? "")")
        case .SQLITE_FULL:
            return .diskFull(path: path, operation: operation)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .busy(path: path, operation: operation + rollbackJournalNote(path), waited: waited)
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH:
            return .readOnlyDatabase(path: path, detail: error.message ?? "\(error.resultCode)")
        case .SQLITE_ABORT where FileReserve.freeBytes(besides: path).map({ $0 < 64 * 1024 }) == true,
             .SQLITE_IOERR where FileReserve.freeBytes(besides: path).map({ $0 < 64 * 1024 }) == true:
            // A transaction SQLite aborted, or an I/O error, on a disk with no room left: the disk is why.
            return .diskFull(path: path, operation: operation)
        default:
            return .sqlite(path: path, operation: operation, detail: error.message ?? "\(error)")
        }
    }

    /// Runs `body` in one write transaction; events appended in it and their
    /// projection updates commit or roll back together.
    public func write<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        try pool.write { db in
            let transaction = StoreTransaction(store: self, db: db)
            let result = try body(transaction)
            try transaction.finish()
            return result
        }
    }

    /// Runs `body` in a write transaction that is always rolled back, and returns its
    /// result: what `body` appended and projected is visible inside, gone after.
    ///
    /// A preview runs each row in a savepoint (so one rejected row does not end
    /// it), and SQLite keeps a savepoint's undo pages in a temporary file: a
    /// 10,000-row dry-run spent an eighth of its time writing that file. Temporary
    /// storage is kept in memory for the preview and restored after.
    public func writeAndRollBack<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            let tempStore = try Int.fetchOne(db, sql: "PRAGMA temp_store") ?? 0
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            defer { try? db.execute(sql: "PRAGMA temp_store = \(tempStore)") }
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(StoreTransaction(store: self, db: db))
                return .rollback
            }
            return result!
        }
    }

    /// Runs `body` with a read-only GRDB connection (Cairn's own modules; applications use `query`).
    package func read<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }

    /// Runs `body` on a read-only snapshot of the store: read-model queries outside a command.
    ///
    /// ```swift
    /// let active = try store.query { model in
    ///     try model.scalar("SELECT count(*) FROM loans WHERE returned_at IS NULL")?.int ?? 0
    /// }
    /// ```
    ///
    /// A statement that writes fails: the connection is read-only.
    public func query<T>(_ body: (any ReadModel) throws -> T) throws -> T {
        do {
            return try pool.read { db in try body(SQLiteReadModel(db)) }
        } catch let error as DatabaseError {
            throw EventStore.translate(error, path: path, operation: "reading")
        }
    }

    /// The position of the newest event, or 0 when the store is empty.
    public func headPosition() throws -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT max(position) FROM events") ?? 0 }
    }
}
