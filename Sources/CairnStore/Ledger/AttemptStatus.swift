/// Where one run's attempt at one migration stands.
public enum AttemptStatus: String, Sendable, CaseIterable, Codable {
    case running
    /// Applied: the marker was written in the attempt's last batch.
    case applied
    /// Reverted: the marker was removed in the attempt's last batch.
    case reverted
    case failed
    case canceled
    /// The process died during the attempt.
    case interrupted

    /// True when the migration did not get through and is shown as failed.
    public var leftItFailed: Bool { self == .failed || self == .interrupted }
}
