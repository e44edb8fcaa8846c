import CairnStore
import GRDB

/// What kind of work a run did.
public enum RunKind: String, Sendable, CaseIterable {
    case migrate
    case dryRun = "dry-run"
    case rebuild
    case revert
    case unlock

    /// True for kinds that change the store and so hold the lock.
    public var holdsLock: Bool { self != .dryRun }
}

/// What started a run.
public enum RunTrigger: String, Sendable, CaseIterable {
    case boot, cli, console
}

/// Where a run stands.
public enum RunStatus: String, Sendable, CaseIterable {
    case running, succeeded, failed, canceled
    /// The process died while the run was going on; found when its lock was taken over.
    case interrupted
}

/// One run as recorded in `cairn_runs`.
public struct RunRecord: Sendable, Hashable {
    public let id: Int64
    public let kind: RunKind
    public let trigger: RunTrigger
    public let status: RunStatus
    public let startedAt: String
    public let finishedAt: String?
    public let host: String
    public let pid: Int32
    public let user: String?
    /// The options the run was started with, as JSON text.
    public let options: String
    /// The error that ended the run, when it failed.
    public let error: String?
    public let migrationsApplied: Int
    public let eventsWritten: Int

    static let columns = """
        id, kind, trigger, status, started_at, finished_at, host, pid, user, options, error,
        migrations_applied, events_written
        """

    init(row: Row) {
        id = row["id"]
        kind = RunKind(rawValue: row["kind"]) ?? .migrate
        trigger = RunTrigger(rawValue: row["trigger"]) ?? .cli
        status = RunStatus(rawValue: row["status"]) ?? .failed
        startedAt = row["started_at"]
        finishedAt = row["finished_at"]
        host = row["host"]
        pid = row["pid"]
        user = row["user"]
        options = row["options"]
        error = row["error"]
        migrationsApplied = row["migrations_applied"]
        eventsWritten = row["events_written"]
    }

    /// The run's duration in milliseconds, when it has finished.
    public var durationMilliseconds: Int? {
        guard let finishedAt, let end = Timestamp.date(from: finishedAt), let start = Timestamp.date(from: startedAt) else {
            return nil
        }
        return Int((end.timeIntervalSince(start) * 1000).rounded())
    }
}

/// How important a log line is.
public enum LogLevel: String, Sendable, CaseIterable, Comparable {
    case debug, info, warning, error

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One line of a run's log.
public struct LogLine: Sendable, Hashable {
    public let id: Int64
    public let runId: Int64
    public let at: String
    public let level: LogLevel
    public let migrationId: String?
    public let message: String

    init(row: Row) {
        id = row["id"]
        runId = row["run_id"]
        at = row["at"]
        level = LogLevel(rawValue: row["level"]) ?? .info
        migrationId = row["migration_id"]
        message = row["message"]
    }
}
