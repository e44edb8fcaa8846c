import CairnStore
import Foundation
import GRDB

/// The holder of the database lock, as recorded in `cairn_lock`.
public struct LockInfo: Sendable, Hashable, CustomStringConvertible {
    /// What holds it, e.g. "cairn up (cli)".
    public let holder: String
    public let host: String
    public let pid: Int32
    /// The run holding it, once the run exists.
    public let runId: Int64?
    public let acquiredAt: String
    public let heartbeatAt: String
    let token: String

    init(row: Row) {
        holder = row["holder"]
        host = row["host"]
        pid = row["pid"]
        runId = row["run_id"]
        acquiredAt = row["acquired_at"]
        heartbeatAt = row["heartbeat_at"]
        token = row["token"]
    }

    /// Reads the current holder, if any.
    static func fetch(_ db: Database) throws -> LockInfo? {
        try Row.fetchOne(db, sql: "SELECT * FROM cairn_lock WHERE id = 1").map(LockInfo.init(row:))
    }

    /// Why the lock is stale, or nil when its holder looks alive.
    ///
    /// Stale means the holder's process is gone (checked when it is on this host)
    /// or its heartbeat is older than `staleAfter` seconds.
    public func staleReason(now: Date = Date(), staleAfter: TimeInterval, localHost: String = ProcessIdentity.current.host) -> String? {
        if host == localHost && !ProcessIdentity.isAlive(pid: pid) {
            return "process \(pid) on \(host) is gone"
        }
        if let beat = Timestamp.date(from: heartbeatAt), now.timeIntervalSince(beat) > staleAfter {
            return "no heartbeat for \(Int(now.timeIntervalSince(beat))) s (stale after \(Int(staleAfter)) s)"
        }
        return nil
    }

    public var description: String {
        "\(holder) — pid \(pid) on \(host)" + (runId.map { ", run \($0)" } ?? "")
            + ", since \(acquiredAt), last heartbeat \(heartbeatAt)"
    }
}
