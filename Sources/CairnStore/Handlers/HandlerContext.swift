import GRDB

/// What a command handler gets: the transaction, the caller, and the stream-tenant override.
public struct HandlerContext {
    /// The transaction the handler runs in.
    public let transaction: StoreTransaction
    /// Who issued the command.
    public let actor: Actor
    /// The tenant whose stream holds the target aggregate, when the caller says it
    /// differs from the payload's tenant.
    public let streamTenantOverride: String?

    /// The connection, for read-model queries.
    public var db: Database { transaction.db }

    /// The tenant to load and append the target stream in: the override when given, else `payloadTenant`.
    public func streamTenant(default payloadTenant: String) -> String {
        streamTenantOverride ?? payloadTenant
    }

    /// Loads stream `id` in `tenant`.
    public func load(_ id: String, tenant: String) throws -> EventStream {
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
