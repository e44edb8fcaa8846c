import CairnStore
import Foundation
import Logging

extension MigrationRunner {
    /// Breaks the lock: a stale one, or with `force` a live one. Recorded as an `unlock` run.
    ///
    /// - Returns: the holder removed, and why it was stale; nil when nothing was locked.
    @discardableResult
    public func unlock(force: Bool, staleAfter: TimeInterval = MigrateOptions().staleAfter, logger: Logger) throws
        -> (info: LockInfo, staleReason: String?)?
    {
        guard let broken = try DatabaseLock.breakLock(store: store, force: force, staleAfter: staleAfter, identity: identity) else {
            return nil
        }
        let recorder = try RunRecorder.start(
            store: store, kind: .unlock, trigger: .cli, options: ["force": .bool(force)], identity: identity, logger: logger)
        recorder.log(
            .warning,
            "broke the migration lock held by \(broken.info)" + (broken.staleReason.map { " (stale: \($0))" } ?? " (live holder, --force)"))
        recorder.finish(.succeeded)
        return broken
    }
}
