/// What kind of work a run did: every kind goes through the runner's one run lifecycle.
public enum RunKind: String, Sendable, CaseIterable, Codable {
    case migrate
    case dryRun = "dry-run"
    case rebuild
    case revert
    case unlock
    /// `cairn repair`: approved an edited applied file's checksum, or retired a deleted one.
    case repair
    /// `cairn baseline`: marked the migrations up to one applied without running them.
    case baseline

    /// True for kinds that change the store and so hold the lock.
    public var holdsLock: Bool {
        switch self {
        case .dryRun, .unlock: return false
        case .migrate, .rebuild, .revert, .repair, .baseline: return true
        }
    }
}
