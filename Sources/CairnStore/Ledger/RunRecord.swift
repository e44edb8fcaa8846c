import Foundation
import GRDB

/// One run as the ledger records it.
public struct RunRecord: Sendable, Hashable, Codable, FetchableRecord {
    public let id: Int64
    public let kind: RunKind
    public let trigger: RunTrigger
    public let status: RunStatus
    public let startedAt: String
    public let finishedAt: String?
    public let host: String
    public let pid: Int32
    public let user: String?
    /// The PID namespace of its process, when recorded.
    public let pidNamespace: String?
    /// The options the run was started with, as JSON text.
    public let options: String
    /// The error that ended the run, when it failed.
    public let error: String?
    public let migrationsApplied: Int
    public let eventsWritten: Int

    enum CodingKeys: String, CodingKey {
        case id, kind, trigger, status, host, pid, user, options, error
        case startedAt = "started_at", finishedAt = "finished_at"
        case migrationsApplied = "migrations_applied", eventsWritten = "events_written", pidNamespace = "pid_namespace"
    }

    /// The run's duration in milliseconds, when it has finished.
    public var durationMilliseconds: Int? {
        guard let finishedAt, let end = Timestamp.date(from: finishedAt), let start = Timestamp.date(from: startedAt) else {
            return nil
        }
        return Int((end.timeIntervalSince(start) * 1000).rounded())
    }
}
