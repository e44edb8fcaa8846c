/// The error for an append whose expected version does not match the stream.
///
/// When the cause is a wrong stream tenant — the aggregate already lives in
/// another tenant's stream — `owningTenant` names that tenant.
public struct VersionConflict: ExplainedError, Sendable, Hashable {
    /// The stream appended to.
    public let streamId: String
    /// The stream type of the append.
    public let streamType: String
    /// The tenant the append addressed.
    public let tenant: String
    /// The version the append expected.
    public let expectedVersion: Int
    /// The stream's actual version.
    public let actualVersion: Int
    /// The tenant whose stream really holds the aggregate, when it is not `tenant`.
    public let owningTenant: String?

    /// Creates a conflict report.
    public init(
        streamId: String, streamType: String, tenant: String, expectedVersion: Int, actualVersion: Int,
        owningTenant: String?
    ) {
        self.streamId = streamId
        self.streamType = streamType
        self.tenant = tenant
        self.expectedVersion = expectedVersion
        self.actualVersion = actualVersion
        self.owningTenant = owningTenant
    }

    public var summary: String { description }

    public var remedy: String? {
        if let owningTenant {
            return "address the stream in tenant \(owningTenant): pass it as the command's stream tenant"
                + " (a seed's `stream_tenant` column)"
        }
        return "another writer changed the stream since it was read: load it again and retry the command"
    }

    public var exitCode: Int32 { CairnExit.failed }

    /// True when the conflict comes from addressing the stream in the wrong tenant.
    public var isWrongStreamTenant: Bool { owningTenant != nil }

    public var description: String {
        if let owningTenant {
            return "version conflict on \(streamType) \(streamId): the stream lives in tenant \(owningTenant)"
                + " (at version \(actualVersion)), not in tenant \(tenant)"
        }
        return "version conflict on \(streamType) \(streamId) in tenant \(tenant):"
            + " expected version \(expectedVersion), the stream is at version \(actualVersion)"
    }
}
