import GRDB

/// What a command handler gets: the transaction, the caller, the stream-tenant
/// override, and the read model (it is a `ReadModel`: `fetchOne`, `exists`, `execute`).
public struct HandlerContext: ReadModel {
    /// The transaction the handler runs in.
    public let transaction: StoreTransaction
    /// Who issued the command.
    public let actor: Actor
    /// The tenant whose stream holds the target aggregate, when the caller says it
    /// differs from the payload's tenant.
    public let streamTenantOverride: String?

    /// GRDB's connection, inside the command's transaction, for SQLite-only code.
    ///
    /// Using it needs `import GRDB` and GRDB in your own `Package.swift`
    /// (`.package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0")`), and ties the
    /// handler to SQLite: on a PostgreSQL store, asking for it stops the process. The context's
    /// own `execute`/`fetchAll`/`fetchOne` need neither and run on both stores.
    public var db: Database { transaction.db }

    /// Runs a read-model statement in the transaction; `?` placeholders take `values` in order.
    public func execute(_ sql: String, _ values: [any SQLValueConvertible]) throws {
        try transaction.execute(sql, values)
    }

    /// The rows a read-model query returns, as the transaction sees them (its own writes included).
    public func fetchAll(_ sql: String, _ values: [any SQLValueConvertible]) throws -> [SQLRow] {
        try transaction.fetchAll(sql, values)
    }

    /// The first row a read-model query returns, if any, as the transaction sees them.
    public func fetchOne(_ sql: String, _ values: [any SQLValueConvertible]) throws -> SQLRow? {
        try transaction.fetchOne(sql, values)
    }

    /// The caller's id, or a rejection naming the handler's rule when the command has none.
    public func actorId() throws -> String {
        guard let id = actor.id, !id.isEmpty else {
            throw HandlerRejection(reason: "this command needs a caller with an id (Actor(role:id:)), got role \(actor.role)")
        }
        return id
    }

    /// The tenant to load and append the target stream in: the override when given, else `payloadTenant`.
    public func streamTenant(default payloadTenant: String) -> String {
        streamTenantOverride ?? payloadTenant
    }

    /// Loads stream `id` in `tenant`; a single-tenant application leaves `tenant` out.
    public func load(_ id: String, tenant: String = EventStream.defaultTenant) throws -> EventStream {
        try transaction.loadStream(id, tenant: tenant)
    }

    /// Appends events to `stream`, expecting it to be at the version it was loaded at.
    @discardableResult
    public func append(_ events: [NewEvent], to stream: EventStream, streamType: String) throws -> [StoredEvent] {
        try transaction.append(
            to: stream.id, streamType: streamType, tenant: stream.tenant, expectedVersion: stream.version,
            events: events)
    }
}
