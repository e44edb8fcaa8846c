/// Errors of the event store: opening the database, dispatching commands, appending.
public enum StoreError: ExplainedError, Sendable, Equatable {
    /// No file at the database path.
    case databaseNotFound(path: String)
    /// The file exists but is not an SQLite database (or is damaged).
    case notADatabase(path: String, detail: String)
    /// The file cannot be written.
    case readOnlyDatabase(path: String, detail: String)
    /// The database file has more than one name (hard links): SQLite names the write-ahead log after the
    /// name it is opened by, so two names mean two logs, writes that do not see each other's lock, and a
    /// damaged file.
    case hardLinked(path: String, links: Int)
    /// The database's bookkeeping schema is newer than this build of Cairn understands.
    case newerSchema(path: String, found: Int, supported: Int)
    /// A reading command met a database whose bookkeeping tables need an upgrade first.
    case olderSchema(path: String, found: Int, current: Int)
    /// A command named a handler that is not registered.
    case unknownHandler(name: String, suggestion: String?)
    /// The actor's role may not call the handler.
    case accessDenied(handler: String, role: String, allowed: String)
    /// An append addressed an existing stream with another stream type.
    case streamTypeMismatch(streamId: String, existing: String, requested: String)
    /// A rebuild named a projection that is not registered.
    case unknownProjection(name: String, known: [String])
    /// Another connection kept the database's write lock past the busy timeout: a process
    /// stopped or hung in the middle of a transaction.
    case busy(path: String, operation: String, waited: Double)
    /// The disk has too little room to start a run and record how it ends: nothing was started.
    case noRoom(path: String, freeBytes: Int)
    /// The disk has too little room for the private copy a preview runs on: nothing was previewed.
    case noRoomForPreview(path: String, neededBytes: Int, freeBytes: Int)
    /// The disk (or the database's size limit) is full: the write was rolled back.
    case diskFull(path: String, operation: String)
    /// A text value to be stored holds a NUL character (U+0000), which SQLite text cannot
    /// keep: the event would hold it whole and the read tables would cut it short.
    case textHoldsNUL(what: String)
    /// SQLite reported an error the store did not expect.
    case sqlite(path: String, operation: String, detail: String)

    public var summary: String {
        switch self {
        case .databaseNotFound(let path):
            return "no database at \(path)"
        case .notADatabase(let path, let detail):
            return "\(path) is not a Cairn database (\(detail))"
        case .readOnlyDatabase(let path, let detail):
            return "cannot write to the database at \(path) (\(detail))"
        case .hardLinked(let path, let links):
            return "the database file \(path) has \(links) names (hard links); SQLite keeps a write-ahead log per name,"
                + " so a process opening it by another name would not see this one's writes or its migration lock"
        case .newerSchema(let path, let found, let supported):
            return "the database at \(path) was written by a newer Cairn"
                + " (bookkeeping schema version \(found); this build knows up to \(supported))"
        case .olderSchema(let path, let found, let current):
            return "the database at \(path) has Cairn's bookkeeping schema version \(found); this build uses \(current)"
        case .unknownHandler(let name, let suggestion):
            return "no command handler is registered as '\(name)'"
                + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        case .accessDenied(let handler, let role, let allowed):
            return "handler \(handler) does not accept role '\(role)' (it allows: \(allowed))"
        case .streamTypeMismatch(let streamId, let existing, let requested):
            return "stream \(streamId) is a \(existing) stream, not a \(requested) stream"
        case .unknownProjection(let name, _):
            return "no projection is registered as '\(name)'"
        case .noRoom(let path, let freeBytes):
            return "the disk holding \(path) has \(freeBytes / 1024) KiB free, too little to start a run and record how it"
                + " ends; nothing was written"
        case .noRoomForPreview(let path, let needed, let free):
            return "a dry-run runs on a private copy of \(path), and its disk has \(StoreError.size(free)) free (beside the"
                + " run's 1 MiB reserve) of the \(StoreError.size(needed)) the copy needs; nothing was previewed"
        case .busy(let path, let operation, let waited):
            return "another process kept the database at \(path) locked for over \(Int(waited)) s"
                + " in the middle of a transaction (while \(operation))"
        case .diskFull(let path, let operation):
            return "the disk holding \(path) is full; the write in progress (\(operation)) was rolled back"
        case .textHoldsNUL(let what):
            return "\(what) holds a NUL character (U+0000); SQLite text ends at it, so the read tables and lookups"
                + " would keep it cut short, and nothing with it is written"
        case .sqlite(let path, let operation, let detail):
            return "SQLite failed while \(operation) on \(path): \(detail)"
        }
    }

    /// A number of bytes for messages: `812 KiB`, `1.8 MiB`, `35 MiB`.
    static func size(_ bytes: Int) -> String {
        if bytes < 1 << 20 { return "\(bytes >> 10) KiB" }
        let mib = Double(bytes) / Double(1 << 20)
        return mib < 10 ? String(format: "%.1f MiB", mib) : "\(Int(mib)) MiB"
    }

    public var exitCode: Int32 {
        switch self {
        case .sqlite, .diskFull, .noRoom, .unknownHandler, .accessDenied, .streamTypeMismatch, .textHoldsNUL,
             .noRoomForPreview: return CairnExit.failed
        case .busy: return CairnExit.locked
        case .databaseNotFound, .notADatabase, .readOnlyDatabase, .hardLinked, .newerSchema, .olderSchema, .unknownProjection:
            return CairnExit.usage
        }
    }

    public var remedy: String? {
        switch self {
        case .databaseNotFound:
            return "pass the right --db PATH (or --env NAME), or create a database with `\(ToolName.current) init`"
        case .notADatabase:
            return "check the path; restore the file from a backup if it was damaged"
        case .readOnlyDatabase:
            return "check the file's and its folder's permissions (SQLite needs to write the -wal and -shm files beside it)"
        case .hardLinked:
            return "keep one name: remove the other links (`find / -samefile FILE` lists them), or use a symbolic link,"
                + " which Cairn follows to the file; nothing was opened"
        case .newerSchema:
            return "use the newer Cairn that wrote it; this build will not touch the file"
        case .olderSchema:
            return "a writing command (\(ToolName.current) up, \(ToolName.current) init) upgrades it; reading commands leave the file as it is"
        case .unknownHandler:
            return "register the handler in the application, or fix the name"
        case .accessDenied:
            return "add the role to the handler's access rule"
        case .streamTypeMismatch:
            return "use a new stream id for the new aggregate"
        case .unknownProjection(_, let known):
            return "registered: \(known.joined(separator: ", "))"
        case .noRoomForPreview:
            return "free space on that disk (about the database's size), or preview on a copy elsewhere:"
                + " `sqlite3 DB '.backup /other/disk/copy.sqlite'` then `\(ToolName.current) dry-run --db /other/disk/copy.sqlite`"
        case .noRoom:
            return "free space on that disk (at least a few MiB for the migration's writes), then run the command again"
        case .busy:
            return "find the process holding it (`\(ToolName.current) status` shows the migration lock's holder; `fuser` the file):"
                + " a stopped one resumes with `kill -CONT PID`, a hung one must be ended; nothing was written here"
        case .diskFull:
            return "free space on that disk, then run the command again: committed batches stay, the one in progress"
                + " was rolled back, and the next writing command settles this run"
        case .textHoldsNUL:
            return "remove the NUL from the value (in a seed's query: replace(x, char(0), '')), or encode it, e.g. as base64"
        case .sqlite:
            return nil
        }
    }
}
