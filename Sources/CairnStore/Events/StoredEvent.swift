import GRDB

/// One event as stored in the `events` table.
public struct StoredEvent: Sendable, Hashable {
    /// The global position: increases with every append, never reused.
    public let position: Int64
    /// The aggregate instance the event belongs to.
    public let streamId: String
    /// The kind of aggregate, e.g. `tenant-membership`.
    public let streamType: String
    /// The tenant whose stream holds the event (the tenant that first wrote the stream).
    public let tenantId: String
    /// The per-stream version, starting at 1.
    public let version: Int
    /// The event type, e.g. `tenant-membership.updated`.
    public let type: String
    /// The version of the payload's shape.
    public let schemaVersion: Int
    /// The payload as JSON text.
    public let payload: String
    /// The metadata as JSON text: actor, handler and, for migrations, migration and run ids.
    public let metadata: String
    /// When the event was appended, as an ISO 8601 UTC timestamp.
    public let recordedAt: String
    /// The payload already parsed, for events the store just appended (saves projections a parse).
    let parsedPayload: Payload?

    /// Creates an event value; the store creates these, applications read them.
    public init(
        position: Int64, streamId: String, streamType: String, tenantId: String, version: Int,
        type: String, schemaVersion: Int, payload: String, metadata: String, recordedAt: String
    ) {
        self.position = position
        self.streamId = streamId
        self.streamType = streamType
        self.tenantId = tenantId
        self.version = version
        self.type = type
        self.schemaVersion = schemaVersion
        self.payload = payload
        self.metadata = metadata
        self.recordedAt = recordedAt
        self.parsedPayload = nil
    }

    /// An event just appended (or just upcast), carrying the payload it was built from.
    init(appended event: NewEvent, schemaVersion: Int, text: String, position: Int64, streamId: String,
         streamType: String, tenantId: String, version: Int, metadata: String, recordedAt: String) {
        self.position = position
        self.streamId = streamId
        self.streamType = streamType
        self.tenantId = tenantId
        self.version = version
        self.type = event.type
        self.schemaVersion = schemaVersion
        self.payload = text
        self.metadata = metadata
        self.recordedAt = recordedAt
        self.parsedPayload = event.payload
    }

    /// The event with another payload and schema version, as an upcaster produces it.
    func replacingPayload(_ payload: Payload, schemaVersion: Int) -> StoredEvent {
        StoredEvent(
            appended: NewEvent(type: type, payload: payload), schemaVersion: schemaVersion, text: payload.jsonText,
            position: position, streamId: streamId, streamType: streamType, tenantId: tenantId, version: version,
            metadata: metadata, recordedAt: recordedAt)
    }

    /// The payload parsed as an object.
    ///
    /// - Throws: `HandlerRejection` when the stored payload is not a JSON object.
    public func payloadObject() throws -> Payload {
        if let parsedPayload { return parsedPayload }
        return try Payload(parsing: payload)
    }

    public static func == (lhs: StoredEvent, rhs: StoredEvent) -> Bool {
        lhs.position == rhs.position && lhs.streamId == rhs.streamId && lhs.streamType == rhs.streamType
            && lhs.tenantId == rhs.tenantId && lhs.version == rhs.version && lhs.type == rhs.type
            && lhs.schemaVersion == rhs.schemaVersion && lhs.payload == rhs.payload && lhs.metadata == rhs.metadata
            && lhs.recordedAt == rhs.recordedAt
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(position)
        hasher.combine(streamId)
        hasher.combine(version)
    }

    /// The columns selected to read an event, in the order `init(row:)` expects.
    public static let columns =
        "position, stream_id, stream_type, tenant_id, version, type, schema_version, payload, metadata, recorded_at"

    /// Reads an event from a row selected with `columns`.
    package init(row: Row) {
        self.init(
            position: row[0], streamId: row[1], streamType: row[2], tenantId: row[3], version: row[4],
            type: row[5], schemaVersion: row[6], payload: row[7], metadata: row[8], recordedAt: row[9])
    }
}

/// An event a handler asks to append.
public struct NewEvent: Sendable, Hashable {
    /// The event type, e.g. `tenant-membership.updated`.
    public let type: String
    /// The payload.
    public let payload: Payload
    /// The version of the payload's shape; nil means the newest the upcasters know (1 without upcasters).
    public let schemaVersion: Int?

    /// Creates an event to append; leave `schemaVersion` out to write the newest shape.
    public init(type: String, payload: Payload, schemaVersion: Int? = nil) {
        self.type = type
        self.payload = payload
        self.schemaVersion = schemaVersion
    }
}

/// A stream as a handler loaded it: its identity, tenant, version and events.
///
/// Every event belongs to a tenant (`tenant_id`): a stream lives in exactly one, and is
/// invisible from the others, so one tenant's command can never append to another's
/// aggregate. A single-tenant application loads and appends every stream in
/// `EventStream.defaultTenant` by leaving `tenant:` out.
public struct EventStream: Sendable {
    /// The tenant of a single-tenant application's streams: `"default"`.
    public static let defaultTenant = "default"

    /// The stream (aggregate instance) id.
    public let id: String
    /// The tenant the stream was loaded in.
    public let tenant: String
    /// The events, oldest first; empty when the stream does not exist in this tenant.
    public let events: [StoredEvent]

    /// The stream's current version: 0 when it has no events in this tenant.
    public var version: Int { events.last?.version ?? 0 }
    /// True when the stream has no events in this tenant.
    public var isEmpty: Bool { events.isEmpty }
}
