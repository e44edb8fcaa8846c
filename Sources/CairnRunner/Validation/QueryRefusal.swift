import CairnStore

/// Why the gate refused a candidate query.
public struct QueryRefusal: ExplainedError, Sendable, Hashable {
    /// The kind of refusal.
    public enum Kind: String, Sendable {
        case syntax, empty, multipleStatements, notReadOnly, function, columns
    }

    /// The kind of refusal.
    public let kind: Kind
    /// What is wrong, in words.
    public let message: String

    public var description: String { message }
    public var summary: String { message }
    public var remedy: String? { "a candidate query is one read-only SELECT; write changes through handlers" }
    public var exitCode: Int32 { CairnExit.usage }
}
