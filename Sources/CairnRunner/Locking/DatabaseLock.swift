import CairnStore
import Foundation
import GRDB

/// The one-runner-at-a-time lock, a row in `cairn_lock` with holder, host, pid and heartbeat.
///
/// Taking it is one `BEGIN IMMEDIATE` transaction, so two processes cannot both
/// win. A stale lock (its process gone, or no heartbeat for `staleAfter`) is
/// taken over and the takeover reported; a live one is waited for up to a
/// timeout. While held, a background timer refreshes the heartbeat, and every
/// batch transaction checks the lock is still ours, so no batch commits after
/// the lock was broken.
///
/// `@unchecked Sendable`: the timer is set up in `init` and only cancelled
/// afterwards, and dispatch sources are safe to cancel from any thread.
public final class DatabaseLock: @unchecked Sendable {
    /// What happened while acquiring.
    public enum Event: Sendable {
        /// The lock is held by someone else; waiting.
        case waiting(LockInfo)
        /// A stale lock was taken over.
        case tookOver(LockInfo, reason: String)
    }

    private let store: EventStore
    private let token: String
    private let timer: DispatchSourceTimer

    private init(store: EventStore, token: String, heartbeatInterval: TimeInterval) {
        self.store = store
        self.token = token
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "cairn.lock.heartbeat"))
        self.timer = timer
        timer.schedule(deadline: .now() + heartbeatInterval, repeating: heartbeatInterval)
        timer.setEventHandler { [store, token] in
            _ = try? store.pool.write { db in
                try DatabaseLock.refresh(db, token: token)
            }
        }
        timer.resume()
    }

    deinit {
        timer.cancel()
    }

    /// Takes the lock for `holder`, waiting up to `timeout` seconds for a live holder.
    ///
    /// - Throws: `RunnerError.lockTimeout` naming the holder when the wait runs out.
    public static func acquire(
        store: EventStore, holder: String, identity: ProcessIdentity = .current, timeout: TimeInterval,
        staleAfter: TimeInterval, heartbeatInterval: TimeInterval = 5, pollInterval: TimeInterval = 0.1,
        isCanceled: () -> Bool = { false }, onEvent: (Event) -> Void = { _ in }
    ) throws -> DatabaseLock {
        let token = UUID().uuidString
        let deadline = Date().addingTimeInterval(timeout)
        var reportedWaiting = false
        while true {
            let outcome: (acquired: Bool, other: LockInfo?, takeover: String?) = try store.pool.write { db in
                let now = Timestamp.now()
                var previous: LockInfo?
                var takeover: String?
                if let current = try LockInfo.fetch(db) {
                    guard let reason = current.staleReason(staleAfter: staleAfter, localHost: identity.host) else {
                        return (false, current, nil)
                    }
                    previous = current
                    takeover = reason
                    try db.execute(sql: "DELETE FROM cairn_lock WHERE id = 1")
                    if let run = current.runId {
                        try markInterrupted(db, run: run, reason: "\(reason); lock taken over by pid \(identity.pid) on \(identity.host)")
                    }
                }
                try db.execute(
                    sql: """
                        INSERT INTO cairn_lock (id, token, holder, host, pid, acquired_at, heartbeat_at)
                        VALUES (1, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [token, holder, identity.host, identity.pid, now, now])
                // Runs that hold the lock and still say "running" belong to processes
                // that died without anyone taking their lock over; none can be running now.
                let orphans = try Int64.fetchAll(
                    db, sql: "SELECT id FROM cairn_runs WHERE status = 'running' AND kind IN ('migrate', 'rebuild', 'revert')")
                for run in orphans {
                    try markInterrupted(db, run: run, reason: "its process ended without finishing the run")
                }
                return (true, previous, takeover)
            }
            if outcome.acquired {
                if let reason = outcome.takeover, let previous = outcome.other {
                    onEvent(.tookOver(previous, reason: reason))
                }
                return DatabaseLock(store: store, token: token, heartbeatInterval: heartbeatInterval)
            }
            guard let other = outcome.other else { continue }
            if isCanceled() {
                throw RunnerError.canceled(reason: "while waiting for the migration lock held by \(other.holder)")
            }
            if Date() >= deadline {
                throw RunnerError.lockTimeout(holder: other, waited: timeout)
            }
            if !reportedWaiting {
                onEvent(.waiting(other))
                reportedWaiting = true
            }
            Thread.sleep(forTimeInterval: min(pollInterval, max(0.01, deadline.timeIntervalSinceNow)))
        }
    }

    /// Records the run holding the lock.
    public func attach(run: Int64) throws {
        try store.pool.write { db in
            try db.execute(sql: "UPDATE cairn_lock SET run_id = ? WHERE token = ?", arguments: [run, token])
        }
    }

    /// Refreshes the heartbeat inside the caller's transaction.
    ///
    /// - Throws: `RunnerError.lockLost` when the lock is no longer ours (it was broken).
    public func refresh(in db: Database) throws {
        try DatabaseLock.refresh(db, token: token)
    }

    /// Gives the lock up.
    public func release() {
        timer.cancel()
        _ = try? store.pool.write { db in
            try db.execute(sql: "DELETE FROM cairn_lock WHERE token = ?", arguments: [token])
        }
    }

    /// The current holder, if any.
    public static func current(store: EventStore) throws -> LockInfo? {
        try store.read { db in try LockInfo.fetch(db) }
    }

    /// Removes the lock: only a stale one, unless `force`.
    ///
    /// - Returns: the holder that was removed, or nil when nothing was locked.
    /// - Throws: `RunnerError.lockHeld` when the holder is alive and `force` is false.
    public static func breakLock(
        store: EventStore, force: Bool, staleAfter: TimeInterval, identity: ProcessIdentity = .current
    ) throws -> (info: LockInfo, staleReason: String?)? {
        try store.pool.write { db in
            guard let current = try LockInfo.fetch(db) else { return nil }
            let reason = current.staleReason(staleAfter: staleAfter, localHost: identity.host)
            guard reason != nil || force else {
                throw RunnerError.lockHeld(holder: current)
            }
            try db.execute(sql: "DELETE FROM cairn_lock WHERE id = 1")
            if let run = current.runId {
                let why = reason.map { "\($0); " } ?? ""
                try markInterrupted(db, run: run, reason: "\(why)lock broken by \(identity.actor) with cairn unlock\(force ? " --force" : "")")
            }
            return (current, reason)
        }
    }

    private static func refresh(_ db: Database, token: String) throws {
        try db.execute(sql: "UPDATE cairn_lock SET heartbeat_at = ? WHERE token = ?", arguments: [Timestamp.now(), token])
        if db.changesCount == 0 {
            throw RunnerError.lockLost
        }
    }

    /// Marks a run and its running attempts as interrupted, with a line in its log.
    static func markInterrupted(_ db: Database, run: Int64, reason: String) throws {
        let now = Timestamp.now()
        try db.execute(
            sql: """
                UPDATE cairn_runs SET status = 'interrupted', finished_at = ?, error = ?
                WHERE id = ? AND status = 'running'
                """,
            arguments: [now, "interrupted: \(reason)", run])
        guard db.changesCount > 0 else { return }
        try db.execute(
            sql: "UPDATE cairn_attempts SET status = 'interrupted', finished_at = ?, error = ? WHERE run_id = ? AND status = 'running'",
            arguments: [now, "interrupted: \(reason)", run])
        try RunRecorder.insertLine(db, run: run, level: .error, message: "interrupted: \(reason)", migration: nil)
    }
}
