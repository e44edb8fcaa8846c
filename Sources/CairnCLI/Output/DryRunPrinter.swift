import CairnRunner
import CairnStore
import CairnText
import Foundation

/// Prints a dry-run: a coloured diff for people, or the JSON object scripts read.
enum DryRunPrinter {
    /// The report as lines, framed so it cannot be mistaken for a real run; `rolledBack` says the
    /// preview ran in a transaction that was rolled back (PostgreSQL) rather than on a copy (SQLite).
    static func lines(_ report: DryRunReport, rolledBack: Bool = false) -> [String] {
        let banner = Output.paint("━━ DRY RUN ━━", .magenta)
        let place = rolledBack ? "in a transaction that is rolled back" : "on a private copy that is thrown away"
        var lines = ["\(banner) nothing is written: every change below is made \(place)"
            + " (run \(report.runId), kind dry-run)"]
        if report.migrations.isEmpty {
            lines.append("  nothing to preview: no pending migration")
        }
        for preview in report.migrations {
            lines.append("")
            let verb = preview.reverting ? "revert " : ""
            lines.append(Output.paint("▸ \(verb)\(Output.safe(preview.id))", .bold) + " — \(Output.safe(preview.description))")
            lines.append("  events that would be appended (\(counted(preview.eventCount, shown: preview.events.count)))")
            for event in preview.events {
                lines.append("    " + Output.paint("+", .green) + " \(Output.safe(event.type))  \(Output.safe(event.streamType)) "
                    + "\(Output.safe(event.streamId)) v\(event.version) · tenant \(Output.safe(event.tenantId))")
                lines.append("        " + Output.paint(Output.safe(TerminalSafe.visibleJSON(clipped(event.payload, limit: 2_000))), .dim))
            }
            lines.append("  read-model changes (\(counted(preview.changeCount, shown: preview.changes.count, noun: "row")))")
            for change in preview.changes {
                let (glyph, colour): (String, Output.Colour) = switch change.kind {
                case .insert: ("+", .green)
                case .update: ("~", .yellow)
                case .delete: ("-", .red)
                }
                lines.append("    " + Output.paint(glyph, colour) + " \(Output.safe(change.table)) \(Output.safe(change.keyText))"
                    + (change.kind == .update ? "" : " (\(change.kind.rawValue))"))
                for (name, field) in change.orderedFields {
                    let old = field.old.map { Output.safe(clipped(text($0), limit: 500)) }
                    let new = field.new.map { Output.safe(clipped(text($0), limit: 500)) }
                    switch change.kind {
                    case .insert: lines.append("        \(name): " + Output.paint(new ?? "", .green))
                    case .delete: lines.append("        \(name): " + Output.paint(old ?? "", .red))
                    case .update:
                        lines.append("        \(name): " + Output.paint(old ?? "", .red) + " → " + Output.paint(new ?? "", .green))
                    }
                }
            }
            if preview.rejectionCount == 0 {
                lines.append("  rejections: none")
            } else {
                lines.append(Output.paint("  rejections (\(counted(preview.rejectionCount, shown: preview.rejections.count)))", .red))
                for rejection in preview.rejections {
                    lines.append("    " + Output.paint("✗", .red) + " block \(rejection.block) row \(rejection.row): \(Output.safe(rejection.error))")
                    lines.append("        payload: \(Output.safe(TerminalSafe.visibleJSON(clipped(rejection.payload, limit: 2_000))))")
                    if let advice = rejection.advice { lines.append("        fix: \(Output.safe(advice))") }
                }
            }
            if let why = preview.notIdempotent {
                lines.append(Output.paint("  idempotent: NO — \(Output.safe(clipped(why, limit: 2_000)))", .red))
            } else {
                lines.append("  idempotent: " + Output.paint("yes", .green) + " — the candidate query returns nothing more after these writes")
            }
        }
        for (id, skip) in report.skipped {
            lines.append("")
            lines.append(Output.paint("⤼ \(Output.safe(id)) would be skipped", .yellow)
                + (skip.source == .env ? " (\(skip.reason ?? "")=1)" : " (override: \(Output.safe(skip.reason ?? "")))"))
        }
        lines.append("")
        lines.append("\(banner) thrown away; the store is unchanged. "
            + (report.clean ? "Every previewed migration would apply cleanly." : Output.paint("Some would not apply cleanly (exit 1).", .red)))
        return lines
    }

    /// `text` cut to about `limit` bytes on a character boundary, saying how long it was and
    /// where it is whole: a payload of megabytes would otherwise flood the terminal.
    static func clipped(_ text: String, limit: Int) -> String {
        let size = text.utf8.count
        guard size > limit else { return text }
        var kept = 0
        var end = text.startIndex
        for index in text.indices {
            let next = text.utf8.distance(from: index, to: text.index(after: index))
            guard kept + next <= limit else { break }
            kept += next
            end = text.index(after: index)
        }
        return String(text[..<end]) + "… (\(size) bytes in all; `--json` has it whole)"
    }

    /// The report as counts only (`dry-run --summary`): per migration, its events by type,
    /// its row changes by table (inserted, updated, deleted), its rejections and idempotency.
    static func summaryLines(_ report: DryRunReport) -> [String] {
        let banner = Output.paint("━━ DRY RUN ━━", .magenta)
        var lines = ["\(banner) summary: nothing is written (run \(report.runId), kind dry-run)"]
        if report.migrations.isEmpty {
            lines.append("  nothing to preview: no pending migration")
        }
        for preview in report.migrations {
            let verb = preview.reverting ? "revert " : ""
            let mark = preview.clean ? Output.paint("✓", .green) : Output.paint("✗", .red)
            lines.append("\(mark) " + Output.paint("\(verb)\(Output.safe(preview.id))", .bold)
                + " — \(preview.rows.grouped) candidate row\(preview.rows == 1 ? "" : "s")")
            lines.append("    events \(preview.eventCount.grouped)")
            for (type, count) in preview.eventTypes.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
                lines.append("      \(count.grouped.rightAligned(9)) \(Output.safe(type))")
            }
            lines.append("    rows \(preview.changeCount.grouped)")
            for (table, tally) in preview.tables.sorted(by: { $0.key < $1.key }) {
                let parts = [("+", tally.inserted, "inserted"), ("~", tally.updated, "updated"), ("-", tally.deleted, "deleted")]
                    .filter { $0.1 > 0 }.map { "\($0.0)\($0.1.grouped) \($0.2)" }
                lines.append("      \(tally.total.grouped.rightAligned(9)) \(Output.safe(table)) (\(parts.joined(separator: ", ")))")
            }
            lines.append(preview.rejectionCount == 0 ? "    rejections 0"
                : Output.paint("    rejections \(preview.rejectionCount.grouped)", .red))
            lines.append(preview.idempotent ? "    idempotent yes" : Output.paint("    idempotent NO — \(Output.safe(preview.notIdempotent ?? ""))", .red))
        }
        for (id, _) in report.skipped {
            lines.append(Output.paint("⤼ \(Output.safe(id)) would be skipped", .yellow))
        }
        lines.append("\(banner) thrown away; the store is unchanged. "
            + (report.clean ? "Every previewed migration would apply cleanly." : Output.paint("Some would not apply cleanly (exit 1).", .red)))
        return lines
    }

    /// A count, with how many of it are shown when not all are: `5,923; the first 1,000 shown`.
    private static func counted(_ total: Int, shown: Int, noun: String? = nil) -> String {
        let number = total.grouped
        let counted = noun.map { "\(number) \($0)\(total == 1 ? "" : "s")" } ?? number
        guard shown < total else { return counted }
        let first = shown.grouped
        return shown == 0 ? "\(counted); none shown" : "\(counted); the first \(first) shown, `--limit N` for more"
    }

    /// A field's value: a string quoted, with invisible characters written out, so a
    /// whitespace fix shows as a difference; any other value as JSON.
    private static func text(_ value: JSONValue) -> String {
        RowChange.display(value)
    }

    /// The report as the `dry-run --json` object.
    static func json(_ report: DryRunReport) -> JSONValue {
        .object(["migrations": .array(report.migrations.map { preview in
            .object([
                "id": .string(preview.id),
                "events": .array(preview.events.map { event in
                    .object([
                        "stream": .string(event.streamId), "streamType": .string(event.streamType),
                        "tenant": .string(event.tenantId), "version": .int(Int64(event.version)), "type": .string(event.type),
                        "payload": (try? JSONValue(parsing: event.payload)) ?? .string(event.payload),
                    ])
                }),
                "changes": .array(preview.changes.map { change in
                    .object([
                        "table": .string(change.table), "key": change.key, "kind": .string(change.kind.rawValue),
                        "fields": .object(change.fields.mapValues { field in
                            .object(["old": field.old ?? .null, "new": field.new ?? .null])
                        }),
                    ])
                }),
                "rejections": .array(preview.rejections.map { rejection in
                    .object([
                        "row": .int(Int64(rejection.row)),
                        "payload": (try? JSONValue(parsing: rejection.payload)) ?? .string(rejection.payload),
                        "error": .string(rejection.error),
                    ])
                }),
                "eventCount": .int(Int64(preview.eventCount)),
                "changeCount": .int(Int64(preview.changeCount)),
                "rejectionCount": .int(Int64(preview.rejectionCount)),
                "idempotent": .bool(preview.idempotent),
                "eventTypes": .object(preview.eventTypes.mapValues { .int(Int64($0)) }),
                "tables": .object(preview.tables.mapValues { tally in
                    .object([
                        "inserted": .int(Int64(tally.inserted)), "updated": .int(Int64(tally.updated)),
                        "deleted": .int(Int64(tally.deleted)),
                    ])
                }),
            ])
        })])
    }
}

extension String {
    /// The text right-aligned in `width` columns (counts in a summary's column).
    fileprivate func rightAligned(_ width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}
