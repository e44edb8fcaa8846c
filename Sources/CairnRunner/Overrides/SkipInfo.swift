/// Why a migration is skipped: an environment variable or a persisted override.
public struct SkipInfo: Sendable, Hashable {
    /// How it was skipped.
    public enum Source: String, Sendable {
        /// The `CAIRN_SKIP_<ID>=1` environment variable.
        case env
        /// A persisted override (`cairn skip`).
        case override
    }

    public let source: Source
    /// The override's reason, or the variable's name for an environment skip.
    public let reason: String?
    /// Who skipped it, for an override.
    public let by: String?
    public let at: String?
    public let until: String?
}
