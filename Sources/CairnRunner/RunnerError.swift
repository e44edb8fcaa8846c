import CairnStore
import Foundation

/// The runner's errors, each with the process exit code the command line uses.
///
/// Exit codes: 1 a migration failed; 2 usage or validation error; 3 blocked
/// (drift, missing, out-of-order under `--strict`); 4 the lock stayed held;
/// 130 canceled (SIGINT, SIGTERM).
public enum RunnerError: ExplainedError, Sendable {
    /// Drift, a missing file or (under `--strict`) out-of-order migrations block the run.
    case blocked(problems: [String], run: Int64?)
    /// Validation found problems before anything ran.
    case validationFailed(problems: [ValidationProblem], run: Int64?)
    /// A migration failed; later ones did not run.
    case migrationFailed(MigrationFailure, run: Int64)
    /// Another runner held the lock past the timeout.
    case lockTimeout(holder: LockInfo, waited: Double)
    /// `cairn unlock` without `--force` found a live holder.
    case lockHeld(holder: LockInfo)
    /// The lock was broken while this run held it; the run stopped before its next commit.
    /// `resume` is the command that finishes the work.
    case lockLost(resume: String? = nil)
    /// A command named a migration the catalog does not have.
    case unknownMigration(id: String, suggestion: String?)
    /// A request the runner refuses, with why and what to do.
    case refused(reason: String, remedy: String?)
    /// The run was asked to stop (SIGINT, SIGTERM, the console) and stopped between batches;
    /// `resume` is the command that finishes the work.
    case canceled(reason: String, kind: RunKind = .migrate, resume: String? = nil)

    /// The process exit code for this error.
    public var exitCode: Int32 {
        switch self {
        case .migrationFailed, .lockLost: return CairnExit.failed
        case .validationFailed, .unknownMigration, .refused: return CairnExit.usage
        case .blocked: return CairnExit.blocked
        case .lockTimeout, .lockHeld: return CairnExit.locked
        case .canceled: return CairnExit.canceled
        }
    }

    public var summary: String {
        switch self {
        case .blocked(let problems, _):
            return "blocked: " + problems.joined(separator: "; ")
        case .validationFailed(let problems, _):
            return "validation failed with \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n"
                + problems.map { "  - \($0)" }.joined(separator: "\n")
        case .migrationFailed(let failure, _):
            return failure.summary
        case .lockTimeout(let holder, let waited):
            return "the migration lock is held by \(holder); gave up after waiting \(waited < 10 ? String(format: "%g", waited) : String(Int(waited))) s"
        case .lockHeld(let holder):
            return "the migration lock is held by a live process: \(holder)"
        case .lockLost:
            return "the migration lock was broken while this run held it; stopped before committing more"
        case .unknownMigration(let id, let suggestion):
            return "no migration '\(id)' in the catalog" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        case .refused(let reason, _):
            return reason
        case .canceled(let reason, let kind, _):
            switch kind {
            case .revert:
                return "revert canceled (\(reason)): stopped between batches; migrations already reverted stay reverted,"
                    + " the one in progress keeps its marker and its committed batches"
            case .rebuild:
                return "rebuild canceled (\(reason)): the live tables are as they were; the shadow tables were dropped"
            case .dryRun:
                return "dry-run canceled (\(reason)): nothing was written"
            case .repair, .baseline:
                return "\(kind.rawValue) canceled (\(reason)): nothing was written"
            case .migrate, .unlock:
                return "canceled (\(reason)): stopped between batches; committed batches stay, no marker was written"
            }
        }
    }

    public var remedy: String? {
        switch self {
        case .blocked:
            return "restore the changed or missing files as they were applied, or end the block on the record with"
                + " `\(ToolName.current) repair ID --reason \"…\"` (approves an edited file, retires a deleted one);"
                + " --allow-drift overrides this in an emergency and is recorded in the run"
        case .validationFailed:
            return "fix the problems listed; nothing was written"
        case .migrationFailed(let failure, _):
            return failure.remedy
        case .lockTimeout:
            return "wait for that run to finish, raise --lock-timeout, or, if it is stuck, `\(ToolName.current) unlock --force`"
        case .lockHeld:
            return "wait for it to finish; `\(ToolName.current) unlock --force` breaks a live lock on purpose"
        case .lockLost(let resume):
            return "see who broke it in `\(ToolName.current) runs`; run `\(resume ?? "\(ToolName.current) up")` again to finish"
        case .unknownMigration:
            return "`\(ToolName.current) status` lists the migrations"
        case .refused(_, let remedy):
            return remedy
        case .canceled(_, let kind, let resume):
            switch kind {
            case .revert:
                return "run `\(resume ?? "\(ToolName.current) revert")` again to finish the revert: it picks up where this run stopped"
            case .rebuild:
                return "run `\(resume ?? "\(ToolName.current) rebuild")` again to rebuild from the start"
            case .dryRun:
                return "run `\(resume ?? "\(ToolName.current) dry-run")` again for the whole preview"
            case .repair, .baseline:
                return "run `\(resume ?? "\(ToolName.current) \(kind.rawValue)")` again"
            case .migrate, .unlock:
                return "run `\(resume ?? "\(ToolName.current) up")` again to finish: it picks up where this run stopped"
            }
        }
    }

    /// Runs `check` again once the lock is held; a refusal then says that the state changed while
    /// `what` waited for the lock, so the operator knows the first check had passed.
    static func whileWaiting<T>(_ what: String, _ check: () throws -> T) throws -> T {
        do {
            return try check()
        } catch RunnerError.refused(let reason, let remedy) {
            throw RunnerError.refused(reason: "while \(what) waited for the migration lock, things changed: \(reason)", remedy: remedy)
        }
    }

    /// The run the error was recorded in, when there is one.
    public var run: Int64? {
        switch self {
        case .blocked(_, let run), .validationFailed(_, let run): return run
        case .migrationFailed(_, let run): return run
        default: return nil
        }
    }
}
