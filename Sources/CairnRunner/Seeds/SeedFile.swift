import CairnStore

/// A parsed seed file: its header and its `@write` blocks, and the `@down` blocks if it has them.
public struct SeedFile: Sendable, Hashable {
    /// The migration id: the file name without `.sql`.
    public let id: String
    /// The file's path.
    public let path: String
    /// The header.
    public let header: SeedHeader
    /// The blocks that apply the migration, in order.
    public let blocks: [SeedBlock]
    /// The blocks that undo it, or nil when the file has no `-- @down` section.
    public let downBlocks: [SeedBlock]?

    /// True when the file says how to undo it.
    public var isRevertible: Bool { downBlocks != nil }
}

/// The `-- key: value` header of a seed file.
public struct SeedHeader: Sendable, Hashable {
    /// What the migration does (required).
    public var description: String
    /// True when an operator may skip the migration (default false).
    public var skippable: Bool
    /// True when the whole migration runs in one transaction (default false).
    public var atomic: Bool
    /// Candidate rows per transaction (default 256).
    public var batch: Int
    /// Projections to rebuild after the run.
    public var rebuilds: [String]

    /// The default number of rows per batch.
    public static let defaultBatch = 256
    /// The largest allowed batch.
    public static let maximumBatch = 100_000
    /// Every header key a seed may use.
    public static let knownKeys = ["description", "skippable", "atomic", "batch", "rebuilds"]
}

/// One `-- @write QN` block: the handler and the candidate query whose rows become its calls.
public struct SeedBlock: Sendable, Hashable {
    /// The block's number in its section, from 1.
    public let index: Int
    /// The handler each row is sent to.
    public let handler: QualifiedName
    /// The candidate query as written.
    public let sql: String
    /// The line of the `-- @write` directive.
    public let line: Int
}
