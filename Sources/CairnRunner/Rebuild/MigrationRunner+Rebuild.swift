import CairnStore
import Foundation
import Logging

extension MigrationRunner {
    /// Rebuilds projections (all when `names` is empty) under the lock, as a rebuild run with its log.
    ///
    /// - Throws: `StoreError.unknownProjection` (exit 2) before anything is written;
    ///   `RunnerError.lockTimeout`; `.canceled` saying how to rerun it; the failing
    ///   projection's error (the live tables stay as they were).
    @discardableResult
    public func rebuild(
        _ names: [String], options: MigrateOptions = MigrateOptions(), logger: Logger = .cairnBoot,
        progress: @escaping (Int, Int) -> Void = { _, _ in }
    ) throws -> ProjectionRebuilder.Summary {
        _ = try ProjectionRebuilder.select(names, in: store.domain)
        let lifecycle = RunLifecycle(runner: self, kind: .rebuild, options: options, logger: logger, resume: "")
        return try lifecycle.holdingLock("\(ToolName.current) rebuild") { start in
            try runRebuild(names, options: options, start: start, logger: logger, progress: progress)
        }
    }

    /// Runs a rebuild as its own run, under the lock `start` holds.
    @discardableResult
    func runRebuild(
        _ names: [String], options: MigrateOptions, start: RunLifecycle.RunStart, logger: Logger,
        progress: @escaping (Int, Int) -> Void
    ) throws -> ProjectionRebuilder.Summary {
        let selected = try ProjectionRebuilder.select(names, in: store.domain).map(\.name)
        let resume = "\(ToolName.current) rebuild" + (names.isEmpty ? "" : " " + selected.joined(separator: " "))
        // The shadow tables' suffix goes in the run, so recovery drops them only once this run's process is gone.
        let suffix = ProjectionRebuilder.newShadowSuffix()
        let lifecycle = RunLifecycle(runner: self, kind: .rebuild, options: options, logger: logger, resume: resume)
        return try lifecycle.recording(start, extra: [
            "projections": .array(selected.map(JSONValue.string)), "shadowSuffix": .string(suffix),
        ]) { scope in
            scope.log(.info, "rebuilding \(selected.joined(separator: ", ")) from every event, into shadow tables")
            var lastReport = Date.distantPast
            do {
                let summary = try store.rebuildProjections(names, chunk: ProjectionRebuilder.defaultChunk, shadowSuffix: suffix, check: { ledger in
                    try scope.lock?.refresh(in: ledger)
                    if let flag = options.cancellation, flag.isCancelled {
                        throw RunnerError.canceled(reason: flag.reason)
                    }
                }, progress: { done, total in
                    progress(done, total)
                    if options.throttle > 0 && done < total {
                        CancellationFlag.pause(options.throttle, unless: options.cancellation)
                    }
                    if Date().timeIntervalSince(lastReport) > 2 {
                        lastReport = Date()
                        scope.log(.debug, "replayed \(done)/\(total) events")
                    }
                })
                let rows = summary.rows.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value) rows" }.joined(separator: ", ")
                scope.log(.info, "✓ rebuilt \(summary.projections.joined(separator: ", ")) from \(summary.events) events and swapped them in: \(rows)")
                return summary
            } catch let error as RunnerError {
                if case .canceled = error {} else {
                    scope.log(.error, "the live tables are as they were")
                }
                throw error
            } catch {
                scope.log(.error, "the live tables are as they were")
                throw error
            }
        }
    }
}
