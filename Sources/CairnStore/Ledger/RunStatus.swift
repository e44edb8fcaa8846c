/// Where a run stands.
public enum RunStatus: String, Sendable, CaseIterable, Codable {
    /// Still going, or its process died and nobody has noticed yet.
    case running
    case succeeded
    case failed
    /// Asked to stop (SIGINT, SIGTERM, the console) and stopped cleanly.
    case canceled
    /// The process died while the run was going on; found by the next writing command.
    case interrupted

    /// True once the run has ended, one way or another.
    public var isFinished: Bool { self != .running }
}
