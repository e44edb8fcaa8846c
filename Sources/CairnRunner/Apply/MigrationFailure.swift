import CairnStore

/// A failed migration, with everything needed to find the row at fault.
public struct MigrationFailure: ExplainedError, Sendable, Hashable {
    /// The migration.
    public let migrationId: String
    /// The block, from 1, when the failure is in a block.
    public let block: Int?
    /// The block's handler.
    public let handler: String?
    /// The candidate row, from 1, counted over the whole run of the block.
    public let row: Int?
    /// The row's payload as the query returned it.
    public let payload: String?
    /// The row's stream tenant, when it gave one.
    public let streamTenant: String?
    /// The error, in words.
    public let error: String
    /// What to do, when Cairn can tell.
    public let advice: String?

    /// Creates a failure report.
    public init(
        migrationId: String, block: Int? = nil, handler: String? = nil, row: Int? = nil, payload: String? = nil,
        streamTenant: String? = nil, error: String, advice: String? = nil
    ) {
        self.migrationId = migrationId
        self.block = block
        self.handler = handler
        self.row = row
        self.payload = payload
        self.streamTenant = streamTenant
        self.error = error
        self.advice = advice
    }

    /// Where it failed: "block 1 (tenant:write:x), row 3".
    public var location: String? {
        var parts: [String] = []
        if let block { parts.append("block \(block)" + (handler.map { " (\($0))" } ?? "")) }
        if let row { parts.append("row \(row)") }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    public var summary: String {
        var text = "\(migrationId) failed"
        if let location { text += " at \(location)" }
        text += ": \(error)"
        if let payload { text += "\n  payload: \(payload)" }
        if let streamTenant { text += "\n  stream_tenant: \(streamTenant)" }
        return text
    }

    public var remedy: String? { advice }
}
