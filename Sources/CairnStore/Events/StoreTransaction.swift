import GRDB

/// One write transaction of the event store: loads streams, appends events,
/// runs inline projections and dispatches commands to handlers.
///
/// It only lives inside the store's `write`; do not keep it. The rules live here; the
/// statements are the store's own (`TransactionBackend`), so one transaction type
/// serves SQLite and PostgreSQL.
public final class StoreTransaction: ReadModel {
    /// The store the transaction belongs to.
    public let store: any EventStoring
    /// The store's statements inside this transaction.
    package let backend: any TransactionBackend
    /// GRDB's connection, inside the transaction, when the store is SQLite (Cairn's own
    /// SQLite-only modules; applications read through the transaction itself, a `ReadModel`).
    package var db: Database {
        guard let db = backend.sqliteDatabase else {
            preconditionFailure("GRDB's connection was asked of a transaction on \(store.location), which is not SQLite")
        }
        return db
    }
    /// Metadata members added to every event appended in this transaction.
    ///
    /// The runner puts `migrationId` and `runId` here; those two are also stored
    /// in the events' `migration_id` and `run_id` columns, so "what did this
    /// migration write?" is an indexed query.
    public var tags: [String: JSONValue] = [:] {
        didSet {
            metadataText = nil
            metadataByDispatch = nil
            taggedMigration = (tags["migrationId"]?.stringValue, tags["runId"]?.intValue)
        }
    }
    /// The `migrationId` and `runId` of `tags`, read once for all the appends.
    private var taggedMigration: (id: String?, run: Int64?) = (nil, nil)
    /// Every event appended so far in this transaction, oldest first.
    public private(set) var appended: [StoredEvent] = []

    private var headBefore: Int64?
    /// The head of each stream this transaction loaded (with events) or appended to, so an
    /// append right after a load asks the store nothing.
    ///
    /// It holds for the whole transaction: SQLite has one writer and a write transaction sees
    /// no other commit, a PostgreSQL write holds the writer lock, and should another writer
    /// still append to the stream, the insert meets the unique `(stream_id, version)` and
    /// the append throws `VersionConflict` as it did. A savepoint rolled back forgets them all,
    /// and so does `forgetAppended`; past `knownHeadsLimit` streams all are forgotten and it
    /// starts again, so a preview or an atomic migration over a million streams keeps no head
    /// per stream.
    private var knownHeads: [String: StreamHead] = [:]
    private static let knownHeadsLimit = 4_096

    /// Keeps the head of stream `id`, forgetting all the others first when there are too many.
    private func remember(_ id: String, _ head: StreamHead) {
        if knownHeads.count >= Self.knownHeadsLimit, knownHeads[id] == nil { knownHeads.removeAll(keepingCapacity: true) }
        knownHeads[id] = head
    }
    private var dispatchMetadata: [String: JSONValue] = [:] {
        didSet { metadataText = nil }
    }
    /// The metadata of the events appended now, as JSON text: built once per dispatch.
    private var metadataText: String?
    /// The metadata text of the last dispatch, kept for the next one: a migration's commands
    /// all have the same actor and handler, so their events share it.
    private var metadataByDispatch: (dispatch: [String: JSONValue], text: String)?
    /// The last dispatch's actor role, handler and actor id, and the metadata made of them.
    private var lastDispatch: (actor: Actor, handler: QualifiedName, metadata: [String: JSONValue])?
    private var projectionsByType: [String: [any Projection]]
    /// The domain's handlers and upcasters, read off the store once: through the store's
    /// protocol each read copied the whole domain, three times a command.
    private let handlers: HandlerRegistry
    private let upcasters: UpcasterRegistry

    /// A transaction on SQLite, over `db`.
    convenience init(store: EventStore, db: Database) {
        self.init(store: store, backend: SQLiteTransactionBackend(db: db))
    }

    /// A transaction of `store` over `backend`.
    package init(store: any EventStoring, backend: any TransactionBackend) {
        self.store = store
        self.backend = backend
        let domain = store.domain
        self.handlers = domain.handlers
        self.upcasters = domain.upcasters
        var byType: [String: [any Projection]] = [:]
        for projection in domain.projections {
            for type in projection.eventTypes {
                byType[type, default: []].append(projection)
            }
        }
        self.projectionsByType = byType
    }

    /// Runs a read-model statement in this transaction.
    public func execute(_ sql: String, _ values: [any SQLValueConvertible]) throws {
        try backend.readModel.execute(sql, values)
    }

    /// The rows a read-model query returns, as this transaction sees them.
    public func fetchAll(_ sql: String, _ values: [any SQLValueConvertible]) throws -> [SQLRow] {
        try backend.readModel.fetchAll(sql, values)
    }

    /// The first row a read-model query returns, as this transaction sees them.
    public func fetchOne(_ sql: String, _ values: [any SQLValueConvertible]) throws -> SQLRow? {
        try backend.readModel.fetchOne(sql, values)
    }

    /// Loads the events of stream `id` in `tenant`, oldest first.
    ///
    /// A stream that lives in another tenant is not visible: the result is empty.
    public func loadStream(_ id: String, tenant: String = EventStream.defaultTenant) throws -> EventStream {
        let stored = try backend.streamEvents(id, tenant: tenant)
        if let last = stored.last {
            // Events in this tenant: the stream lives here, and its last event is its head.
            remember(id, StreamHead(version: last.version, tenant: tenant, type: last.streamType))
        }
        // Lifted in place: most streams need no upcaster, and then no second array is made.
        var events = stored
        for index in events.indices where upcasters.needsUpcast(events[index].type, from: events[index].schemaVersion) {
            events[index] = try upcasters.upcast(events[index])
        }
        return EventStream(id: id, tenant: tenant, events: events)
    }

    /// Appends events to a stream, expecting it to be at `expectedVersion`, and
    /// runs the inline projections.
    ///
    /// - Throws: `VersionConflict` when the stream has moved on or lives in another
    ///   tenant; `StoreError.streamTypeMismatch` when the stream has another type.
    @discardableResult
    public func append(
        to streamId: String, streamType: String, tenant: String = EventStream.defaultTenant, expectedVersion: Int,
        events: [NewEvent]
    ) throws -> [StoredEvent] {
        guard !events.isEmpty else { return [] }
        try Self.refuseNUL(streamId: streamId, streamType: streamType, tenant: tenant, events: events)
        var actualVersion = 0
        if let current = try knownHeads[streamId] ?? backend.streamHead(streamId) {
            actualVersion = current.version
            if current.tenant != tenant {
                throw VersionConflict(
                    streamId: streamId, streamType: streamType, tenant: tenant,
                    expectedVersion: expectedVersion, actualVersion: actualVersion, owningTenant: current.tenant)
            }
            if current.type != streamType {
                throw StoreError.streamTypeMismatch(streamId: streamId, existing: current.type, requested: streamType)
            }
        }
        guard actualVersion == expectedVersion else {
            throw VersionConflict(
                streamId: streamId, streamType: streamType, tenant: tenant,
                expectedVersion: expectedVersion, actualVersion: actualVersion, owningTenant: nil)
        }
        if headBefore == nil {
            headBefore = try backend.headPosition()
        }
        let metadataText: String
        if let cached = self.metadataText {
            metadataText = cached
        } else if let previous = metadataByDispatch, previous.dispatch == dispatchMetadata {
            metadataText = previous.text
            self.metadataText = metadataText
        } else {
            var metadata = tags
            metadata.merge(dispatchMetadata) { _, new in new }
            metadataText = JSONValue.object(metadata).jsonText
            self.metadataText = metadataText
            metadataByDispatch = (dispatchMetadata, metadataText)
        }
        let recordedAt = Timestamp.now()
        let (migrationId, runId) = taggedMigration
        var stored: [StoredEvent] = []
        stored.reserveCapacity(events.count)
        // Known again once every event is in; an append that stops half-way leaves it to the store.
        do {
            for (offset, event) in events.enumerated() {
                let version = expectedVersion + offset + 1
                let payload = event.payload.jsonText
                let schemaVersion = event.schemaVersion ?? upcasters.currentVersion(of: event.type)
                let inserted = try backend.insertEvent(EventRow(
                    streamId: streamId, streamType: streamType, tenant: tenant, version: version, type: event.type,
                    schemaVersion: schemaVersion, payload: payload, metadata: metadataText, recordedAt: recordedAt,
                    migrationId: migrationId, runId: runId))
                guard let position = inserted else {
                    throw VersionConflict(
                        streamId: streamId, streamType: streamType, tenant: tenant,
                        expectedVersion: expectedVersion, actualVersion: version, owningTenant: nil)
                }
                let event = StoredEvent(
                    appended: event, schemaVersion: schemaVersion, text: payload, position: position,
                    streamId: streamId, streamType: streamType, tenantId: tenant, version: version,
                    metadata: metadataText, recordedAt: recordedAt)
                // Projections see the newest shape, also of an event written in an old one.
                try project(try upcasters.upcast(event))
                stored.append(event)
            }
        } catch {
            knownHeads[streamId] = nil
            throw error
        }
        remember(streamId, StreamHead(version: expectedVersion + events.count, tenant: tenant, type: streamType))
        appended.append(contentsOf: stored)
        return stored
    }

    /// Refuses an append whose ids, types or payloads hold a NUL character, which SQLite text cannot keep.
    private static func refuseNUL(streamId: String, streamType: String, tenant: String, events: [NewEvent]) throws {
        if streamId.holdsNUL { throw StoreError.textHoldsNUL(what: "the stream id") }
        if streamType.holdsNUL { throw StoreError.textHoldsNUL(what: "the stream type") }
        if tenant.holdsNUL { throw StoreError.textHoldsNUL(what: "the tenant") }
        for event in events {
            if event.type.holdsNUL { throw StoreError.textHoldsNUL(what: "the event type") }
            if let path = JSONValue.object(event.payload.fields).pathOfNUL() {
                throw StoreError.textHoldsNUL(
                    what: path.hasPrefix("a key") ? "\(path) in the payload of a \(event.type) event" : "field '\(path)' in the payload of a \(event.type) event")
            }
        }
    }

    /// Calls the handler a command names, as the command's actor, and returns the events it appended.
    ///
    /// - Throws: `StoreError.unknownHandler` or `.accessDenied` before the handler runs,
    ///   then whatever the handler throws (`HandlerRejection`, `VersionConflict`, ...).
    @discardableResult
    public func dispatch(_ command: Command) throws -> [StoredEvent] {
        let before = appended.count
        try run(command)
        return Array(appended[before...])
    }

    /// Dispatches `command` as `dispatch` does and returns how many events it appended,
    /// without copying them out (the runner's batches only count them).
    package func dispatchCounting(_ command: Command) throws -> Int {
        let before = appended.count
        try run(command)
        return appended.count - before
    }

    /// Checks `command` and runs its handler.
    private func run(_ command: Command) throws {
        let registry = handlers
        guard let handler = registry.handler(named: command.handler) else {
            throw StoreError.unknownHandler(
                name: command.handler.description, suggestion: registry.suggestion(for: command.handler.description)?.description)
        }
        guard handler.access.allows(command.actor.role) else {
            throw StoreError.accessDenied(
                handler: command.handler.description, role: command.actor.role.name,
                allowed: handler.access.description)
        }
        if let path = JSONValue.object(command.payload.fields).pathOfNUL() {
            throw StoreError.textHoldsNUL(what: path.hasPrefix("a key") ? "\(path) of the payload" : "payload field '\(path)'")
        }
        if let tenant = command.streamTenant, tenant.holdsNUL { throw StoreError.textHoldsNUL(what: "the stream tenant") }
        if let id = command.actor.id, id.holdsNUL { throw StoreError.textHoldsNUL(what: "the actor id") }
        let metadata: [String: JSONValue]
        if let last = lastDispatch, last.actor == command.actor, last.handler == command.handler {
            metadata = last.metadata
        } else {
            var fresh: [String: JSONValue] = [
                "actor": .string(command.actor.role.name),
                "handler": .string(command.handler.description),
            ]
            if let id = command.actor.id { fresh["actorId"] = .string(id) }
            lastDispatch = (command.actor, command.handler, fresh)
            metadata = fresh
        }
        // The same dictionary as the last dispatch's when the caller is the same: the metadata
        // text cached for it compares equal at once.
        dispatchMetadata = metadata
        defer { dispatchMetadata = [:] }
        try handler.handle(
            command.payload,
            in: HandlerContext(transaction: self, actor: command.actor, streamTenantOverride: command.streamTenant))
    }

    /// Forgets the events appended so far (they stay in the transaction) and the stream heads
    /// it knew; a long preview hands them on batch by batch so its memory stays bounded.
    public func forgetAppended() {
        appended.removeAll(keepingCapacity: true)
        knownHeads.removeAll(keepingCapacity: true)
    }

    /// Runs `body` in a savepoint: when it throws, its writes — events, projection
    /// updates — are undone and forgotten, and the error is rethrown; the rest of
    /// the transaction stays. The dry-run uses it to go on past a rejected row.
    public func withSavepoint<T>(_ body: () throws -> T) throws -> T {
        let mark = appended.count
        var result: T?
        do {
            try backend.savepoint {
                result = try body()
            }
        } catch {
            appended.removeSubrange(mark...)
            knownHeads.removeAll()
            throw error
        }
        return result!
    }

    /// Runs the inline projections interested in `event`.
    private func project(_ event: StoredEvent) throws {
        guard let projections = projectionsByType[event.type] else { return }
        let context = backend.projectionContext(tableNames: [:])
        for projection in projections {
            try projection.apply(event, in: context)
        }
    }

    /// Advances the checkpoints of the projections that were current before this transaction;
    /// the store calls it just before it commits.
    package func finish() throws {
        guard let headBefore, let last = appended.last?.position else { return }
        try backend.ledger.advanceCheckpoints(from: headBefore, to: last)
    }
}
