/// What `baseline` did: the migrations it marked applied without running them.
public struct BaselineOutcome: Sendable {
    /// The `baseline` run that recorded it.
    public let runId: Int64
    /// The migrations marked applied, in run order (the last is the one named).
    public let migrations: [String]
    /// The migrations after it, still pending.
    public let pending: Int
}
