import CairnStore

/// A failed migration, with everything needed to find the row at fault, and the
/// typed error that caused it.
///
/// An embedding application can tell causes apart:
///
/// ```swift
/// catch RunnerError.migrationFailed(let failure, _) where failure.cause is VersionConflict { … }
/// ```
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
    /// The error raised while handling the row — a `VersionConflict`, a `HandlerRejection`,
    /// a `StoreError`, an application's own — or nil when Cairn itself found the fault
    /// (not idempotent, a payload that is not a JSON object).
    public let cause: (any Error)?

    /// Creates a failure report.
    public init(
        migrationId: String, block: Int? = nil, handler: String? = nil, row: Int? = nil, payload: String? = nil,
        streamTenant: String? = nil, error: String, advice: String? = nil, cause: (any Error)? = nil
    ) {
        self.cause = cause
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
        if let payload {
            // A payload of hundreds of kilobytes must not flood the terminal and the run's log.
            let shown = payload.utf8.count > 2_000
                ? String(decoding: payload.utf8.prefix(2_000), as: UTF8.self) + "… (\(payload.utf8.count) bytes in all)"
                : payload
            text += "\n  payload: \(shown)"
        }
        if let streamTenant { text += "\n  stream_tenant: \(streamTenant)" }
        return text
    }

    public var remedy: String? { advice }

    public var exitCode: Int32 { CairnExit.failed }

    /// Equal when they report the same fault; the cause is compared by its description.
    public static func == (lhs: MigrationFailure, rhs: MigrationFailure) -> Bool {
        lhs.migrationId == rhs.migrationId && lhs.block == rhs.block && lhs.handler == rhs.handler && lhs.row == rhs.row
            && lhs.payload == rhs.payload && lhs.streamTenant == rhs.streamTenant && lhs.error == rhs.error
            && lhs.advice == rhs.advice && lhs.cause.map { "\($0)" } == rhs.cause.map { "\($0)" }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(migrationId)
        hasher.combine(block)
        hasher.combine(row)
        hasher.combine(error)
    }
}
