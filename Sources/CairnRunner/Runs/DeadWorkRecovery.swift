import CairnStore
import Foundation

/// Finds the work of processes that died — runs still marked `running`, shadow
/// tables of a rebuild that never swapped in, a dry-run's private copy — and settles it, so nothing stays
/// `running` forever and no shadow table outlives its rebuild.
///
/// It runs at the start of every writing command, inside a write transaction:
/// the one that takes the migration lock, or one of its own.
enum DeadWorkRecovery {
    /// Settles dead work in `db`'s transaction and returns what it did, in words, for the run's log.
    ///
    /// A `running` run is dead when its host is this one and its process is gone
    /// (any kind, dry-runs included), or when it is of a kind that holds the lock
    /// and the lock is not its own: such a run records itself and attaches the lock in
    /// one transaction, and ends before it gives the lock up. Shadow tables are
    /// dropped when the rebuild that made them is known to be over (its process gone
    /// here, or out of sight with its run ended and the lock free or `ownToken`'s).
    /// A stale lock (its process gone, or no heartbeat for `staleAfter` seconds) is
    /// cleared first, its run marked interrupted.
    static func recover(
        _ upkeep: any StoreMaintenance, identity: ProcessIdentity, ownToken: String?, staleAfter: TimeInterval
    ) throws -> [String] {
        let ledger = upkeep.ledger
        var lock = try ledger.lock()
        var notes: [String] = []
        if let held = lock, !held.isHeld(by: ownToken ?? ""),
           let reason = held.staleReason(staleAfter: staleAfter, local: identity)
        {
            try ledger.clearLock()
            if let run = held.runId {
                try ledger.markInterrupted(run: run, reason: "\(reason); its stale lock was cleared by pid \(identity.pid) on \(identity.host)")
            }
            notes.append("cleared a stale migration lock held by \(held): \(reason)")
            lock = nil
        }
        for run in try ledger.runningRuns() {
            let reason: String
            if identity.knowsEnded(pid: run.pid, host: run.host, namespace: run.pidNamespace) {
                reason = "its process \(run.pid) on \(run.host) ended without finishing the run"
            } else if run.kind.holdsLock && lock?.runId != run.id {
                reason = "its process ended without finishing the run (it no longer holds the migration lock)"
            } else {
                continue
            }
            if try ledger.markInterrupted(run: run.id, reason: reason) {
                notes.append("run \(run.id) (\(run.kind.rawValue)) marked interrupted: \(reason)")
            }
        }
        let lockFree = lock == nil || lock.map({ $0.isHeld(by: ownToken ?? "") }) == true
        let shadows = try upkeep.shadowTables()
        let bySuffix = Dictionary(grouping: shadows) { ProjectionRebuilder.shadowSuffix(of: $0) ?? "" }
        var dead: [String] = []
        for (suffix, tables) in bySuffix.sorted(by: { $0.key < $1.key }) {
            if let owner = try ledger.rebuildRun(shadowSuffix: suffix) {
                // Its own process decides: gone here, or (where this process cannot see it) its run
                // is over and no rebuild holds the lock. A live rebuild whose lock was broken keeps
                // its tables; it drops them itself when it finds the lock gone.
                let ended = identity.knowsEnded(pid: owner.pid, host: owner.host, namespace: owner.pidNamespace)
                let unseen = owner.host != identity.host || (owner.pidNamespace != nil && owner.pidNamespace != identity.pidNamespace)
                if ended || (unseen && lockFree && owner.status != .running) { dead += tables }
            } else if lockFree {
                // Left by a rebuild that did not record its tables (an older Cairn): none can be running.
                dead += tables
            }
        }
        upkeep.removeDeadReserves()
        // A preview copy outlives its dry-run only when the process died: gone once the run is over.
        for run in upkeep.previewCopyRuns() where try ledger.run(run).map({ $0.status != .running }) ?? true {
            upkeep.removePreviewCopy(run: run)
            notes.append("removed the preview copy of dry-run \(run), which did not finish")
        }
        if !dead.isEmpty {
            try upkeep.dropShadowTables(dead)
            notes.append("dropped the shadow tables of a rebuild that did not finish: \(dead.sorted().joined(separator: ", "))")
        }
        return notes
    }
}
