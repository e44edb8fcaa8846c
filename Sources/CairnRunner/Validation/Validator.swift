import CairnStore
import Foundation

/// The check run before any write: every migration that would run parses,
/// names registered handlers that accept `system`, and has candidate queries
/// that compile against the live schema and are read-only.
///
/// It lists every problem, not only the first.
struct Validator {
    let domain: Domain
    let gate: any CandidateGate
    /// How long the sample of candidate rows may take, per query.
    var queryTimeout: TimeInterval = 60

    /// The result: problems, and the accepted queries per migration and block.
    struct Outcome {
        var problems: [ValidationProblem] = []
        var queries: [String: [Int: CandidateQuery]] = [:]
    }

    /// Checks `migrations` — their `@down` blocks when `direction` is `.down`.
    func validate(_ migrations: [Migration], direction: MigrationApplier.Direction = .up) -> Outcome {
        var outcome = Outcome()
        let projectionNames = Set(domain.projections.map(\.name))
        for migration in migrations {
            switch migration.source {
            case .invalid(let errors):
                for error in errors {
                    outcome.problems.append(ValidationProblem(
                        migrationId: migration.id, location: error.line > 0 ? "\(error.path):\(error.line)" : error.path,
                        message: error.message, hint: error.hint))
                }
            case .seed(let seed):
                for block in direction == .up ? seed.blocks : (seed.downBlocks ?? []) {
                    let location = "\(seed.path):\(block.line)"
                    outcome.problems += checkHandler(block.handler, migration: migration.id, location: location)
                    switch gate.check(block.sql, requireCandidateColumns: true) {
                    case .success(let query):
                        outcome.queries[migration.id, default: [:]][block.index] = query
                        // The first few rows show a payload of the wrong kind before anything is written.
                        do {
                            if let problem = try gate.checkPayloads(query, limit: 5, timeout: queryTimeout) {
                                outcome.problems.append(ValidationProblem(
                                    migrationId: migration.id, location: location,
                                    message: "block \(block.index) (\(block.handler)): \(problem)",
                                    hint: "select json_object(...) AS payload (jsonb_build_object(...) on PostgreSQL)"))
                            }
                        } catch let error as QueryGateError {
                            outcome.problems.append(ValidationProblem(
                                migrationId: migration.id, location: location,
                                message: "block \(block.index) (\(block.handler)): \(error.message)"))
                        } catch {
                            outcome.problems.append(ValidationProblem(
                                migrationId: migration.id, location: location, message: "block \(block.index): \(error)"))
                        }
                    case .failure(let refusal):
                        outcome.problems.append(ValidationProblem(
                            migrationId: migration.id, location: location,
                            message: "block \(block.index) (\(block.handler)): \(Validator.describe(refusal))"))
                    }
                }
                // Applying checks the `@down` section too: a migration whose revert cannot run must not be
                // applied (afterwards, fixing its file would be drift). Its rows are not sampled: before the
                // migration is applied, a revert has nothing to do.
                if direction == .up {
                    for block in seed.downBlocks ?? [] {
                        let location = "\(seed.path):\(block.line)"
                        outcome.problems += checkHandler(block.handler, migration: migration.id, location: location)
                        if case .failure(let refusal) = gate.check(block.sql, requireCandidateColumns: true) {
                            outcome.problems.append(ValidationProblem(
                                migrationId: migration.id, location: location,
                                message: "@down block \(block.index) (\(block.handler)): \(Validator.describe(refusal))",
                                hint: "the revert would fail on it; fix the @down section before applying"))
                        }
                    }
                }
            case .swift(let swift):
                for handler in swift.handlers {
                    outcome.problems += checkHandler(handler, migration: migration.id, location: "Swift migration \(migration.id)")
                }
            }
            for name in migration.rebuilds where !projectionNames.contains(name) {
                outcome.problems.append(ValidationProblem(
                    migrationId: migration.id, location: migration.path,
                    message: "rebuilds '\(name)', which is not a registered projection",
                    hint: "registered: \(projectionNames.sorted().joined(separator: ", "))"))
            }
        }
        return outcome
    }

    private func checkHandler(_ name: QualifiedName, migration: String, location: String) -> [ValidationProblem] {
        guard let handler = domain.handlers.handler(named: name) else {
            let suggestion = domain.handlers.suggestion(for: name.description)
            return [ValidationProblem(
                migrationId: migration, location: location,
                message: "no handler is registered as \(name)" + (suggestion.map { "; did you mean \($0)?" } ?? ""),
                hint: "handler names are checked against the application's registry")]
        }
        guard handler.access.allows(.system) else {
            return [ValidationProblem(
                migrationId: migration, location: location,
                message: "handler \(name) does not accept the role 'system' (it allows: \(handler.access))",
                hint: "migrations write as system: add it to the handler's access rule")]
        }
        return []
    }

    static func describe(_ refusal: QueryRefusal) -> String {
        switch refusal.kind {
        case .syntax: return "the candidate query does not compile: \(refusal.message)"
        case .notReadOnly, .multipleStatements, .function:
            return "the candidate query is refused: \(refusal.message)"
        case .empty, .columns: return refusal.message
        }
    }
}
