import CairnStore

/// The error for a gate connection that cannot be opened, or a query that fails while counting.
public struct QueryGateError: ExplainedError, Sendable {
    /// The database path.
    public let path: String
    /// What went wrong.
    public let message: String

    public var summary: String { message }
    public var remedy: String? { nil }
    public var exitCode: Int32 { CairnExit.usage }
}
