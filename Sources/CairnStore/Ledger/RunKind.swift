/// What kind of work a run did: every kind goes through the runner's one run lifecycle.
public enum RunKind: String, Sendable, CaseIterable, Codable {
    case migrate
    case dryRun = "dry-run"
    case rebuild
    case revert
    case unlock

    /// True for kinds that change the store and so hold the lock.
    public var holdsLock: Bool {
        switch self {
        case .dryRun, .unlock: return false
        case .migrate, .rebuild, .revert: return true
        }
    }
}
