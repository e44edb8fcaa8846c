import CairnStore
import Foundation

/// What a run's body works with: its recorder, the lock it holds, and the steps
/// every kind shares — blockers, validation, the "dry-run ok" line — each logged
/// the same way.
final class RunScope {
    let recorder: RunRecorder
    let lock: DatabaseLock?
    let runner: MigrationRunner
    let options: MigrateOptions
    /// How the run ends when the body returns: succeeded unless the body says otherwise.
    private(set) var endStatus: RunStatus = .succeeded
    private(set) var endError: String?

    init(recorder: RunRecorder, lock: DatabaseLock?, runner: MigrationRunner, options: MigrateOptions) {
        self.recorder = recorder
        self.lock = lock
        self.runner = runner
        self.options = options
    }

    /// The run's id.
    var id: Int64 { recorder.id }

    /// Appends a line to the run's log.
    func log(_ level: LogLevel, _ message: String, migration: String? = nil) {
        recorder.log(level, message, migration: migration)
    }

    /// Ends the run with `status` (instead of succeeded) when the body returns.
    func end(as status: RunStatus, error: String?) {
        endStatus = status
        endError = error
    }

    /// Stops the run when drift or missing files block it, unless `--allow-drift`, which is logged.
    func checkBlockers(_ report: StatusReport) throws {
        guard report.blocked else { return }
        if options.allowDrift {
            for line in report.blockers { log(.warning, "--allow-drift: running despite \(line)") }
            return
        }
        for line in report.blockers { log(.error, line) }
        log(.error, "blocked: nothing ran; restore the files, or end the block with `\(ToolName.current) repair ID --reason …`"
            + " (--allow-drift overrides it for one run, recorded)")
        throw RunnerError.blocked(problems: report.blockers, run: id)
    }

    /// Stops the run with `lines` logged as errors when `--strict` refuses what they describe.
    func block(_ lines: [String], because why: String) throws -> Never {
        for line in lines + [why] { log(.error, line) }
        throw RunnerError.blocked(problems: lines, run: id)
    }

    /// Validates `migrations` and stops the run when there are problems; logs "dry-run ok" when there are none.
    func validate(
        _ migrations: [Migration], report: StatusReport, catalog: MigrationCatalog, direction: MigrationApplier.Direction
    ) throws -> Validator.Outcome {
        let validation = try runner.validate(
            migrations, report: report, catalog: catalog, direction: direction, queryTimeout: options.queryTimeout)
        guard validation.problems.isEmpty else {
            for problem in validation.problems { log(.error, "invalid: \(problem)") }
            log(.error, "validation failed: nothing ran")
            throw RunnerError.validationFailed(problems: validation.problems, run: id)
        }
        log(.info, "dry-run ok — all referenced handlers registered")
        return validation
    }
}
