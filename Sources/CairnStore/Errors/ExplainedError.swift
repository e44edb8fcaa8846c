/// An error that says what went wrong, where, and what to do about it, and the
/// process exit code it ends a command with.
///
/// Every public Cairn error conforms, so command-line and console front ends can
/// show the summary and the remedy on their own lines, and an embedding
/// application can exit the way the `cairn` command line does.
public protocol ExplainedError: Error, CustomStringConvertible {
    /// What went wrong and where, in one sentence.
    var summary: String { get }
    /// What to do about it, when there is something to do.
    var remedy: String? { get }
    /// The process exit code for this error: one of `CairnExit`'s.
    var exitCode: Int32 { get }
}

extension ExplainedError {
    public var description: String {
        guard let remedy else { return summary }
        return "\(summary) — \(remedy)"
    }
}

/// The exit codes of Cairn's commands, in one place; every error's `exitCode` is one of these.
public enum CairnExit {
    /// Done, or nothing to do.
    public static let success: Int32 = 0
    /// A migration, a run or the store failed (a handler rejected a row, the disk is full).
    public static let failed: Int32 = 1
    /// Bad input — usage, a seed, a query, the configuration, the database file — found before anything was written.
    public static let usage: Int32 = 2
    /// Drift, a missing file, or out-of-order migrations under `--strict`: nothing ran.
    public static let blocked: Int32 = 3
    /// Another runner held the lock past the timeout, or is alive where `unlock` needs it gone.
    public static let locked: Int32 = 4
    /// Canceled by SIGINT or SIGTERM between batches.
    public static let canceled: Int32 = 130
}
