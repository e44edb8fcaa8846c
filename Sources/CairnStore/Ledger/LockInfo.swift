import Foundation
import GRDB

/// The holder of the migration lock: who, where, which run, and its heartbeat.
public struct LockInfo: Sendable, Hashable, Codable, FetchableRecord, CustomStringConvertible {
    /// What holds it, e.g. "cairn up (cli)".
    public let holder: String
    public let host: String
    public let pid: Int32
    /// The run holding it, once the run exists.
    public let runId: Int64?
    public let acquiredAt: String
    public let heartbeatAt: String
    /// The holder's PID namespace, when recorded.
    public let pidNamespace: String?
    /// How often the holder refreshes the heartbeat, in milliseconds, when recorded.
    public let heartbeatMilliseconds: Int?
    /// The holder's secret, so only it can refresh or release the lock.
    let token: String

    enum CodingKeys: String, CodingKey {
        case holder, host, pid, token
        case runId = "run_id", acquiredAt = "acquired_at", heartbeatAt = "heartbeat_at", pidNamespace = "pid_namespace"
        case heartbeatMilliseconds = "heartbeat_ms"
    }

    /// True when the lock row carries `token`.
    public func isHeld(by token: String) -> Bool { self.token == token }

    /// Why the lock is stale, or nil when its holder looks alive.
    ///
    /// Stale means the holder's process is gone (checked when it is on this host, in
    /// this PID namespace) or its heartbeat is older than `staleAfter` seconds — and
    /// never younger than three of the holder's own heartbeat intervals, so a waiter's
    /// small `--stale-after` cannot take a healthy holder's lock between two beats.
    public func staleReason(now: Date = Date(), staleAfter: TimeInterval, local: ProcessIdentity = .current) -> String? {
        if local.knowsEnded(pid: pid, host: host, namespace: pidNamespace) {
            return "process \(pid) on \(host) is gone"
        }
        let threshold = max(staleAfter, 3 * Double(heartbeatMilliseconds ?? 0) / 1000)
        if let beat = Timestamp.date(from: heartbeatAt), now.timeIntervalSince(beat) > threshold {
            return "no heartbeat for \(Int(now.timeIntervalSince(beat))) s (stale after \(Int(threshold)) s)"
        }
        return nil
    }

    public var description: String {
        "\(holder) — pid \(pid) on \(host)" + (runId.map { ", run \($0)" } ?? "")
            + ", since \(acquiredAt), last heartbeat \(heartbeatAt)"
    }
}
