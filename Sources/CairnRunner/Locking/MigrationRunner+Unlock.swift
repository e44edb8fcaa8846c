import CairnStore
import Foundation
import Logging

extension MigrationRunner {
    /// Breaks the lock: a stale one, or with `force` a live one. Recorded as an `unlock` run.
    ///
    /// - Returns: the holder removed, why it was stale, and what was done to a live holder's
    ///   database connection (PostgreSQL); nil when nothing was locked.
    @discardableResult
    public func unlock(force: Bool, staleAfter: TimeInterval = MigrateOptions().staleAfter, logger: Logger = .cairnBoot) throws
        -> (info: LockInfo, staleReason: String?, ended: String?)?
    {
        let found: (info: LockInfo, staleReason: String?, ended: String?)?
        do {
            found = try DatabaseLock.breakLock(store: store, force: force, staleAfter: staleAfter, identity: identity)
        } catch let error as RunnerError {
            throw error
        } catch {
            // A holder stopped inside a batch keeps SQLite's write lock: say so, exit 4.
            throw store.explain(error, operation: "breaking the migration lock")
        }
        guard let broken = found else {
            // Nothing was locked; as every writing command does, settle what dead processes left.
            for note in try recoverDeadWork(staleAfter: staleAfter) { logger.warning("recovered: \(note)") }
            return nil
        }
        var options = MigrateOptions()
        options.staleAfter = staleAfter
        let lifecycle = RunLifecycle(runner: self, kind: .unlock, options: options, logger: logger, resume: "\(ToolName.current) unlock")
        return try lifecycle.holdingLock("\(ToolName.current) unlock") { start in
            try lifecycle.recording(start, extra: ["force": .bool(force)]) { scope in
                scope.log(
                    .warning,
                    "broke the migration lock held by \(broken.info)"
                        + (broken.staleReason.map { " (stale: \($0))" } ?? " (live holder, --force)")
                        + (broken.ended.map { "; \($0)" } ?? ""))
                return broken
            }
        }
    }
}
