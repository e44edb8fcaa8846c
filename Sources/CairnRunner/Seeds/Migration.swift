import CairnStore

/// One migration as the runner sees it, whether a seed file or Swift code.
public struct Migration: Sendable {
    /// Where the migration comes from.
    public enum Source: Sendable {
        /// A parsed seed file.
        case seed(SeedFile)
        /// A migration written in Swift.
        case swift(any SwiftMigration)
        /// A seed file that does not parse; it cannot run until fixed.
        case invalid([SeedParseError])
    }

    /// The id, `YYYY-MM-DD-kebab-name`.
    public let id: String
    /// The seed file's path, or nil for a Swift migration.
    public let path: String?
    /// The SHA-256 of the file (line endings normalised), or the Swift migration's declared checksum.
    public let checksum: String
    /// Where it comes from.
    public let source: Source
    /// The seed file's text as read, to take its checksum under an older normalisation; nil for a Swift migration.
    var text: String? = nil

    /// Its checksum under normalisation `version` (see `Checksum`), to compare with a marker written
    /// with that version; nil when this build does not know the version. A Swift migration declares
    /// its checksum, which no normalisation touches.
    public func checksum(version: Int) -> String? {
        if case .swift = source { return checksum }
        if version == Checksum.currentVersion { return checksum }
        return text.flatMap { Checksum.of(seedText: $0, version: version) }
    }

    /// What the migration does.
    public var description: String {
        switch source {
        case .seed(let seed): return seed.header.description
        case .swift(let migration): return migration.description
        case .invalid(let errors) where checksum.isEmpty: return "(\(errors.first?.message ?? "cannot be read"))"
        case .invalid(let errors): return "(does not parse: \(errors.count) problem\(errors.count == 1 ? "" : "s"))"
        }
    }

    /// True when an operator may skip it.
    public var skippable: Bool {
        switch source {
        case .seed(let seed): return seed.header.skippable
        case .swift(let migration): return migration.skippable
        case .invalid: return false
        }
    }

    /// The handlers it calls.
    public var handlers: [QualifiedName] {
        switch source {
        case .seed(let seed):
            var seen = Set<QualifiedName>()
            return (seed.blocks + (seed.downBlocks ?? [])).map(\.handler).filter { seen.insert($0).inserted }
        case .swift(let migration): return migration.handlers
        case .invalid: return []
        }
    }

    /// Projections to rebuild after it runs.
    public var rebuilds: [String] {
        switch source {
        case .seed(let seed): return seed.header.rebuilds
        case .swift(let migration): return migration.rebuilds
        case .invalid: return []
        }
    }

    /// True when it has `@down` blocks.
    public var isRevertible: Bool {
        if case .seed(let seed) = source { return seed.isRevertible }
        return false
    }

    /// "seed" or "swift", for listings.
    public var kind: String {
        if case .swift = source { return "swift" }
        return "seed"
    }
}
