import CairnStore
import Foundation
import Logging

extension MigrationRunner {
    /// Rebuilds projections (all when `names` is empty) under the lock, as a rebuild run with its log.
    ///
    /// - Throws: `StoreError.unknownProjection` (exit 2) before anything is written;
    ///   `RunnerError.lockTimeout`; the failing projection's error (the live tables stay as they were).
    @discardableResult
    public func rebuild(
        _ names: [String], options: MigrateOptions = MigrateOptions(), logger: Logger,
        progress: @escaping (Int, Int) -> Void = { _, _ in }
    ) throws -> ProjectionRebuilder.Summary {
        _ = try ProjectionRebuilder(store: store).select(names)
        let (lock, takeover) = try acquireLock(options: options, holder: "cairn rebuild", logger: logger)
        defer { lock.release() }
        return try runRebuild(names, options: options, lock: lock, takeover: takeover, logger: logger, progress: progress)
    }

    /// Runs a rebuild as its own run while holding `lock`.
    @discardableResult
    func runRebuild(
        _ names: [String], options: MigrateOptions, lock: DatabaseLock, takeover: (LockInfo, String)? = nil,
        logger: Logger, progress: @escaping (Int, Int) -> Void
    ) throws -> ProjectionRebuilder.Summary {
        let selected = try ProjectionRebuilder(store: store).select(names).map(\.name)
        let recorder = try startRun(
            .rebuild, options: options, lock: lock, takeover: takeover, logger: logger,
            extra: ["projections": .array(selected.map(JSONValue.string))])
        recorder.log(.info, "rebuilding \(selected.joined(separator: ", ")) from every event, into shadow tables")
        var lastReport = Date.distantPast
        do {
            let summary = try ProjectionRebuilder(store: store).rebuild(names, check: { db in
                try lock.refresh(in: db)
                if let flag = options.cancellation, flag.isCancelled {
                    throw RunnerError.canceled(reason: flag.reason)
                }
            }, progress: { done, total in
                progress(done, total)
                if Date().timeIntervalSince(lastReport) > 2 {
                    lastReport = Date()
                    recorder.log(.debug, "replayed \(done)/\(total) events")
                }
            })
            let rows = summary.rows.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value) rows" }.joined(separator: ", ")
            recorder.log(.info, "✓ rebuilt \(summary.projections.joined(separator: ", ")) from \(summary.events) events and swapped them in: \(rows)")
            recorder.finish(.succeeded)
            return summary
        } catch let error as RunnerError {
            if case .canceled = error {
                recorder.log(.warning, "⏹ rebuild canceled; the live tables are as they were")
                recorder.finish(.canceled, error: error.summary)
            } else {
                recorder.log(.error, "✗ rebuild failed: \(error.summary); the live tables are as they were")
                recorder.finish(.failed, error: error.summary)
            }
            throw error
        } catch {
            let text = (error as? any ExplainedError)?.summary ?? "\(error)"
            recorder.log(.error, "✗ rebuild failed: \(text); the live tables are as they were")
            recorder.finish(.failed, error: text)
            throw error
        }
    }
}
