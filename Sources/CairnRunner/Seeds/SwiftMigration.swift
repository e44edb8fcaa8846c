import CairnStore

/// A migration written in Swift instead of a seed file.
///
/// It appears in every view exactly like a file seed. Its `checksum` is the one
/// the application declares: change it when the migration's behaviour changes,
/// so an applied migration that changed shows as drift. It runs in one
/// transaction; reads go through the read-only gate and writes through handlers.
public protocol SwiftMigration: Sendable {
    /// The id, `YYYY-MM-DD-kebab-name`, sorting with the file seeds.
    var id: String { get }
    /// What the migration does, in one line.
    var description: String { get }
    /// True when an operator may skip it.
    var skippable: Bool { get }
    /// The checksum the application declares for this version of the migration.
    var checksum: String { get }
    /// The handlers the migration calls, checked before any migration runs.
    var handlers: [QualifiedName] { get }
    /// Projections to rebuild after the migration run.
    var rebuilds: [String] { get }
    /// Does the work: queries through `context.query`, writes through `context.write`.
    func run(_ context: MigrationContext) throws
}

extension SwiftMigration {
    public var skippable: Bool { false }
    public var rebuilds: [String] { [] }
}
