import Foundation
import CairnRunner
import CairnStore

/// Prints a status report as a table, or as the JSON object scripts read.
enum StatusPrinter {
    /// The glyph shown before a migration in `state`.
    static func glyph(_ state: MigrationState) -> String {
        switch state {
        case .applied: return "✓"
        case .pending: return "›"
        case .failed: return "✗"
        case .partial: return "◐"
        case .skipped: return "⤼"
        case .drift: return "≠"
        case .missing: return "?"
        case .retired: return "⊘"
        }
    }

    static func colour(_ state: MigrationState) -> Output.Colour {
        switch state {
        case .applied: return .green
        case .pending: return .cyan
        case .failed, .drift, .missing: return .red
        case .skipped, .partial: return .yellow
        case .retired: return .dim
        }
    }

    /// The report as human-readable lines, with the projections' state when given.
    static func lines(_ report: StatusReport, projections: [ProjectionState] = []) -> [String] {
        var lines = [Output.paint("\(Output.safe(report.environment)) · \(report.database) · seeds: \(CairnPaths.display(report.seeds))", .bold)]
        let width = report.migrations.map(\.id.count).max() ?? 0
        for status in report.migrations {
            let id = Output.safe(status.id)
            var detail: [String] = []
            switch status.state {
            case .applied, .drift, .retired:
                if let marker = status.marker {
                    detail.append("\(String(marker.appliedAt.prefix(16)).replacingOccurrences(of: "T", with: " "))")
                    detail.append(marker.baseline ? "baseline" : "\(marker.eventsWritten) event\(marker.eventsWritten == 1 ? "" : "s")")
                }
            case .skipped:
                if let skip = status.skip {
                    detail.append(skip.source == .env
                        ? "by \(skip.reason ?? "env")=1"
                        : "by \(Output.safe(skip.by ?? "?")): \(Output.safe(skip.reason ?? ""))" + (skip.until.map { " (until \($0.prefix(10)))" } ?? ""))
                }
            case .failed:
                if let attempt = status.lastAttempt {
                    detail.append("run \(attempt.runId)")
                    if attempt.rowsDone > 0 {
                        detail.append("\(attempt.rowsDone) row\(attempt.rowsDone == 1 ? "" : "s") committed")
                    }
                }
            case .partial:
                if let partial = status.partial { detail.append(partial.direction == .up ? "applying" : "reverting") }
            default:
                break
            }
            if status.skippable && status.state != .skipped { detail.append("skippable") }
            if status.outOfOrder { detail.append("out of order") }
            if status.migration?.kind == "swift" { detail.append("swift") }
            let head = Output.paint(glyph(status.state), colour(status.state)) + " "
                + id.padding(toLength: max(width, id.count), withPad: " ", startingAt: 0) + "  "
                + Output.paint(status.state.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0), colour(status.state))
            let info = (detail.isEmpty ? "" : Output.paint(detail.joined(separator: " · "), .dim) + "  ")
                + Output.safe(status.description)
            lines.append("  \(head) \(info)")
            if let partial = status.partial {
                lines.append("      " + Output.paint(Output.safe(partial.summary), .yellow))
            }
            if let record = status.recoveryNote {
                lines.append("      " + Output.paint(Output.safe(record), .dim))
            }
            if status.state == .failed, let error = status.lastAttempt?.error {
                lines.append("      " + Output.paint(Output.safe(error.split(separator: "\n").first.map(String.init) ?? error), .red))
            }
        }
        if report.migrations.isEmpty {
            lines.append("  (no migrations in \(CairnPaths.display(report.seeds)); create one with `\(ToolName.current) new NAME`)")
        }
        let counts = MigrationState.allCases.map { "\(report.count($0)) \($0.rawValue)" }
        lines.append(counts.joined(separator: " · "))
        if !projections.isEmpty {
            let parts = projections.map { state in
                state.isStale
                    ? Output.paint("\(state.name) v\(state.codeVersion) stale", .red)
                    : "\(state.name) v\(state.codeVersion)"
            }
            lines.append("projections: " + parts.joined(separator: " · "))
            for state in projections {
                if let reason = state.staleReason {
                    lines.append(Output.paint("  \(state.name) is stale: \(reason); `\(ToolName.current) rebuild \(state.name)` rebuilds it", .red))
                }
            }
        }
        for stray in report.strayVariables {
            lines.append(Output.paint("warning: \(stray)", .yellow))
        }
        for owed in report.owedRebuilds {
            lines.append(Output.paint(
                "owed rebuild: \(Output.safe(owed.projection)), declared by \(Output.safe(owed.migrationId)) (applied in run \(owed.runId));"
                    + " it did not finish — the next `\(ToolName.current) up` runs it", .yellow))
        }
        if let lock = report.lock {
            var line = "locked by \(Output.safe(lock.description))"
            if let stale = lock.staleReason(staleAfter: MigrateOptions().staleAfter) {
                line += " — stale (\(stale)): the next writing command clears it"
            }
            lines.append(Output.paint(line, .yellow))
        }
        for problem in report.problems {
            lines.append(Output.paint("problem: ", .red) + Output.safe(problem))
        }
        if report.blocked {
            lines.append(Output.paint("blocked: runs refuse to start until the drift or missing files are restored, or ended with `\(ToolName.current) repair ID --reason …`", .red))
        }
        return lines
    }

    /// The report as the `status --json` object.
    static func json(_ report: StatusReport) -> JSONValue {
        .object([
            "environment": .string(report.environment),
            "database": .string(report.database),
            "blocked": .bool(report.blocked),
            "problems": .array(report.problems.map(JSONValue.string)),
            "owedRebuilds": .array(report.owedRebuilds.map { owed in
                .object([
                    "projection": .string(owed.projection), "migrationId": .string(owed.migrationId),
                    "runId": .int(owed.runId), "owedAt": .string(owed.owedAt),
                ])
            }),
            "migrations": .array(report.migrations.map { status in
                var object: [String: JSONValue] = [
                    "id": .string(status.id),
                    "state": .string(status.state.rawValue),
                    "description": .string(status.description),
                    "checksum": .string(status.checksum),
                    "skippable": .bool(status.skippable),
                    "outOfOrder": .bool(status.outOfOrder),
                ]
                if let marker = status.marker {
                    object["appliedAt"] = .string(marker.appliedAt)
                    object["checksumVersion"] = .int(Int64(marker.checksumVersion))
                    object["baseline"] = .bool(marker.baseline)
                    if let reason = marker.baselineReason { object["baselineReason"] = .string(reason) }
                    if marker.isRepaired {
                        var record: [String: JSONValue] = [
                            "at": .string(marker.repairedAt ?? ""), "by": .string(marker.repairedBy ?? ""),
                            "host": .string(marker.repairedHost ?? ""), "reason": .string(marker.repairReason ?? ""),
                            "runId": .int(marker.repairRunId ?? 0),
                        ]
                        if let user = marker.repairedUser { record["user"] = .string(user) }
                        if let previous = marker.previousChecksum {
                            record["previousChecksum"] = .string(previous)
                            record["previousChecksumVersion"] = .int(Int64(marker.previousChecksumVersion ?? 1))
                        }
                        object[marker.retired ? "retired" : "repaired"] = .object(record)
                    }
                    if let note = status.recoveryNote { object["recovery"] = .string(note) }
                }
                if let partial = status.partial {
                    object["direction"] = .string(partial.direction.rawValue)
                    object["partial"] = .object([
                        "runId": .int(partial.runId), "runStatus": .string(partial.runStatus.rawValue),
                        "rows": .int(Int64(partial.rows)), "events": .int(Int64(partial.events)),
                        "finish": .string(partial.finish),
                    ])
                }
                if let skip = status.skip {
                    var value: [String: JSONValue] = ["source": .string(skip.source.rawValue)]
                    if let reason = skip.reason { value["reason"] = .string(reason) }
                    object["skip"] = .object(value)
                }
                return .object(object)
            }),
        ])
    }
}

/// Paths as shown to operators: relative to the working directory when inside it.
enum CairnPaths {
    /// A path relative to the working folder when it is inside it; a URL without its password.
    static func display(_ path: String) -> String {
        if StoreOpener.isServer(path) { return StoreOpener.shown(path) }
        let cwd = FileManager.default.currentDirectoryPath
        return path.hasPrefix(cwd + "/") ? String(path.dropFirst(cwd.count + 1)) : path
    }
}
