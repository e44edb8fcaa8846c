import CairnStore
import Foundation

/// The one-runner-at-a-time lock: the ledger's lock row, with holder, host, pid and heartbeat.
///
/// On SQLite, taking it is one `BEGIN IMMEDIATE` transaction, so two processes cannot both
/// win. A stale lock (its process gone, or no heartbeat for `staleAfter`) is
/// taken over and the takeover reported; a live one is waited for up to a
/// timeout. On a store with a server lock (PostgreSQL's session advisory lock) the
/// server decides: whoever takes the server lock writes the row, and a row found by
/// the new holder belongs to a connection that is gone. While held, a background timer refreshes the heartbeat, and every
/// batch transaction checks the lock is still ours, so no batch commits after
/// the lock was broken.
///
/// `@unchecked Sendable`: the timer is set up in `init` and only cancelled
/// afterwards, and dispatch sources are safe to cancel from any thread.
public final class DatabaseLock: @unchecked Sendable {
    /// What happened while acquiring.
    public enum Event: Sendable {
        /// The lock is held by someone else; waiting (reported once).
        case waiting(LockInfo)
        /// Still waiting for the holder, after this many seconds (reported at every poll).
        case stillWaiting(LockInfo, waited: TimeInterval)
        /// A stale lock was taken over.
        case tookOver(LockInfo, reason: String)
        /// Dead work was settled in the transaction that took the lock (see `DeadWorkRecovery`).
        case recovered([String])
    }

    private let store: any RunnerStore
    private let token: String
    private let timer: DispatchSourceTimer
    /// The server-held side of the lock, where the store has one.
    private let serverLock: (any ServerLock)?

    private init(store: any RunnerStore, token: String, heartbeatInterval: TimeInterval, serverLock: (any ServerLock)?) {
        self.store = store
        self.token = token
        self.serverLock = serverLock
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "cairn.lock.heartbeat"))
        self.timer = timer
        timer.schedule(deadline: .now() + heartbeatInterval, repeating: heartbeatInterval)
        timer.setEventHandler { [store, token] in
            _ = try? store.writeLedger { ledger in try ledger.refreshLock(token: token) }
        }
        timer.resume()
    }

    deinit {
        timer.cancel()
        serverLock?.release()
    }

    /// Why a lock row found by the new holder of the server lock is stale.
    static let serverReleased = "its holder's connection to the database is gone (the server released its lock)"

    /// Takes the lock for `holder`, waiting up to `timeout` seconds for a live holder.
    ///
    /// - Throws: `RunnerError.lockTimeout` naming the holder when the wait runs out.
    public static func acquire(
        store: any RunnerStore, holder: String, identity: ProcessIdentity = .current, timeout: TimeInterval,
        staleAfter: TimeInterval, heartbeatInterval: TimeInterval = 5, pollInterval: TimeInterval = 0.1,
        isCanceled: () -> Bool = { false }, onEvent: (Event) -> Void = { _ in }
    ) throws -> DatabaseLock {
        let token = UUID().uuidString
        let deadline = Date().addingTimeInterval(timeout)
        var reportedWaiting = false
        let serverLock = try store.makeServerLock()
        while true {
            let outcome: (acquired: Bool, other: LockInfo?, takeover: String?, recovered: [String])
            if let serverLock {
                // The server says whether the lock is free; the row says who holds it.
                if try serverLock.tryAcquire() {
                    outcome = try take(
                        store: store, token: token, holder: holder, identity: identity, staleAfter: staleAfter,
                        heartbeat: heartbeatInterval, holderGone: serverReleased)
                } else {
                    outcome = (false, try store.readLedger { try $0.lock() }, nil, [])
                }
            } else {
                outcome = try takeRow(
                    store: store, token: token, holder: holder, identity: identity, staleAfter: staleAfter,
                    heartbeat: heartbeatInterval, deadline: deadline, timeout: timeout, isCanceled: isCanceled)
            }
            if outcome.acquired {
                if let reason = outcome.takeover, let previous = outcome.other {
                    onEvent(.tookOver(previous, reason: reason))
                }
                if !outcome.recovered.isEmpty {
                    onEvent(.recovered(outcome.recovered))
                }
                return DatabaseLock(store: store, token: token, heartbeatInterval: heartbeatInterval, serverLock: serverLock)
            }
            guard let other = outcome.other else {
                // The server lock is held but its row is not written yet (the holder writes it at
                // once), or the row was busy: look again, past the deadline too, to name the holder.
                if isCanceled() {
                    throw RunnerError.canceled(reason: "while waiting for the migration lock")
                }
                if Date() >= deadline.addingTimeInterval(5) {
                    let holder = (try? store.serverLockHolder()).flatMap { $0 }
                    let who = if case .held(let pid)? = holder { " (server process \(pid))" } else { "" }
                    throw RunnerError.refused(
                        reason: "the migration lock is held on the server by a connection that wrote no holder row\(who)",
                        remedy: "something other than Cairn took the lock's advisory key; end that session, or"
                            + " `\(ToolName.current) unlock --force`")
                }
                Thread.sleep(forTimeInterval: pollInterval)
                continue
            }
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
            onEvent(.stillWaiting(other, waited: timeout - deadline.timeIntervalSinceNow))
            Thread.sleep(forTimeInterval: min(pollInterval, max(0.01, deadline.timeIntervalSinceNow)))
        }
    }

    /// One attempt at the row-only lock (SQLite): a live holder is seen with a read, which never
    /// waits for the writer; only a lock that looks free or stale is worth queueing for the write lock.
    private static func takeRow(
        store: any RunnerStore, token: String, holder: String, identity: ProcessIdentity, staleAfter: TimeInterval,
        heartbeat: TimeInterval, deadline: Date, timeout: TimeInterval, isCanceled: () -> Bool
    ) throws -> (acquired: Bool, other: LockInfo?, takeover: String?, recovered: [String]) {
        let seen = try store.readLedger { try $0.lock() }
        if let seen, seen.staleReason(staleAfter: staleAfter, local: identity) == nil {
            return (false, seen, nil, [])
        }
        do {
            return try take(
                store: store, token: token, holder: holder, identity: identity, staleAfter: staleAfter, heartbeat: heartbeat)
        } catch {
            // Another process held the write lock past the busy timeout: waiting for
            // the migration lock goes on, up to its own timeout.
            let explained = store.explain(error, operation: "taking the migration lock")
            guard case StoreError.busy? = explained as? StoreError, !isCanceled() else { throw explained }
            if Date() < deadline { return (false, nil, nil, []) }
            // Out of time: name the runner that took the lock meanwhile, if one did.
            if let holder = try store.readLedger({ try $0.lock() }),
               holder.staleReason(staleAfter: staleAfter, local: identity) == nil {
                throw RunnerError.lockTimeout(holder: holder, waited: timeout)
            }
            throw explained
        }
    }

    /// Takes the lock in one write transaction when it is free or stale, settling dead work there;
    /// `holderGone` says why a row found is stale when the server already decided it is.
    private static func take(
        store: any RunnerStore, token: String, holder: String, identity: ProcessIdentity, staleAfter: TimeInterval,
        heartbeat: TimeInterval, holderGone: String? = nil
    ) throws -> (acquired: Bool, other: LockInfo?, takeover: String?, recovered: [String]) {
        try store.maintain { upkeep in
            let ledger = upkeep.ledger
            var previous: LockInfo?
            var takeover: String?
            if let current = try ledger.lock() {
                guard let reason = holderGone ?? current.staleReason(staleAfter: staleAfter, local: identity) else {
                    return (false, current, nil, [])
                }
                previous = current
                takeover = reason
                try ledger.clearLock()
                if let run = current.runId {
                    try ledger.markInterrupted(
                        run: run, reason: "\(reason); lock taken over by pid \(identity.pid) on \(identity.host)")
                }
            }
            try ledger.insertLock(token: token, holder: holder, identity: identity, run: nil, heartbeat: heartbeat)
            // Holding the lock now, no lock-holding run can be going on: settle the dead ones.
            let recovered = try DeadWorkRecovery.recover(upkeep, identity: identity, ownToken: token, staleAfter: staleAfter)
            return (true, previous, takeover, recovered)
        }
    }

    /// Records `run` as the lock's holder, inside the transaction that records the run.
    func attach(run: Int64, in ledger: any LedgerWriting) throws {
        try ledger.attachLock(token: token, run: run)
    }

    /// Refreshes the heartbeat inside the caller's transaction.
    ///
    /// - Throws: `RunnerError.lockLost` when the lock is no longer ours (it was broken).
    public func refresh(in ledger: any LedgerWriting) throws {
        guard try ledger.refreshLock(token: token) else { throw RunnerError.lockLost() }
    }

    /// Gives the lock up inside the caller's transaction (the one that ends a failed run,
    /// so a full disk that leaves room for one more write still frees the lock).
    func release(in ledger: any LedgerWriting) throws {
        try ledger.releaseLock(token: token)
    }

    /// Gives the lock up.
    public func release() {
        timer.cancel()
        do {
            try store.writeLedger { ledger in try ledger.releaseLock(token: token) }
        } catch {
            // A full disk: stop checkpoints from taking the little room there is, and try once more.
            store.spareDiskSpace()
            _ = try? store.writeLedger { ledger in try ledger.releaseLock(token: token) }
        }
        serverLock?.release()
    }

    /// The current holder, if any.
    public static func current(store: any RunnerStore) throws -> LockInfo? {
        try store.readLedger { try $0.lock() }
    }

    /// Removes the lock: only a stale one, unless `force`.
    ///
    /// - Returns: the holder that was removed, why it was stale, and what was done to a live
    ///   holder's connection (PostgreSQL); nil when nothing was locked.
    /// - Throws: `RunnerError.lockHeld` when the holder is alive and `force` is false.
    public static func breakLock(
        store: any RunnerStore, force: Bool, staleAfter: TimeInterval, identity: ProcessIdentity = .current
    ) throws -> (info: LockInfo, staleReason: String?, ended: String?)? {
        // Where the server holds the lock, it says whether the holder is alive, and --force ends
        // the holder's connection (the server then releases its lock) where the user may.
        let server = try store.serverLockHolder()
        var ended: String?
        if case .held? = server, force, try store.readLedger({ try $0.lock() }) != nil {
            ended = try store.endServerLockHolder()
        }
        return try store.writeLedger { ledger in
            guard let current = try ledger.lock() else { return nil }
            let reason: String?
            switch server {
            case .free?: reason = serverReleased
            case .held?: reason = nil
            case nil: reason = current.staleReason(staleAfter: staleAfter, local: identity)
            }
            guard reason != nil || force else {
                throw RunnerError.lockHeld(holder: current)
            }
            try ledger.clearLock()
            if let run = current.runId {
                let why = reason.map { "\($0); " } ?? ""
                try ledger.markInterrupted(run: run, reason: "\(why)lock broken by \(identity.actor) with \(ToolName.current) unlock\(force ? " --force" : "")")
            }
            return (current, reason, ended)
        }
    }
}
