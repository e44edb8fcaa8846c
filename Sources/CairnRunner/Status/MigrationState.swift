/// Where a migration stands in an environment.
public enum MigrationState: String, Sendable, CaseIterable {
    /// Its marker is there and matches the file (a baseline marker, or one a repair approved, included).
    case applied
    /// Not applied yet; the next run will apply it.
    case pending
    /// Its last attempt failed (or was interrupted); the next run retries it.
    case failed
    /// A run committed some of its batches, applying or reverting, and stopped: see
    /// `MigrationStatus.partial` for which way and the command that finishes it.
    case partial
    /// Skipped in this environment (environment variable or override); no marker.
    case skipped
    /// Applied, but the file changed since (checksum drift). Blocks runs.
    case drift
    /// Applied, but its file is gone. Blocks runs.
    case missing
    /// Applied, and its file deleted on purpose: `cairn repair` retired it. Never blocks; its history is kept.
    case retired
}
