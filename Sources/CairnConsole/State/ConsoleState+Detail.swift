import CairnRunner

/// What the detail pane of the current view holds, as rows: the reducer moves its cursor
/// and searches it, the renderer draws the visible window of it.
extension ConsoleState {
    /// The detail pane's title, status and status role for the current view, if it has a selection.
    public var detailHeader: (title: String, status: String, role: StyleRole)? {
        switch view {
        case .migrations:
            guard let migration = selectedMigration else { return nil }
            return (migration.id, migration.state.rawValue, Renderer.glyph(migration.state).1)
        case .runs:
            guard let run = selectedRun else { return nil }
            return ("run \(run.id) · \(run.kind) · \(run.trigger)", run.shownStatus, Renderer.role(of: run))
        case .projections:
            guard let projection = selectedProjection else { return nil }
            return (projection.name, projection.staleReason == nil ? "current" : "stale", projection.staleReason == nil ? .applied : .failed)
        case .environments:
            guard let environment = selectedEnvironment else { return nil }
            return (environment.name, environment.current ? "open" : "", .accent)
        case .log:
            return nil
        }
    }

    /// The detail's lines before wrapping, in segments: the first is wrapped to the pane's
    /// width, the others (a preview, the events written) are one row per line.
    var detailSegments: [[DetailLine]] {
        switch view {
        case .migrations: return selectedMigration.map(migrationDetail) ?? []
        case .runs: return [selectedRun.map(runDetail) ?? []]
        case .projections: return [selectedProjection.map(projectionDetail) ?? []]
        case .environments: return [selectedEnvironment.map(environmentDetail) ?? []]
        case .log: return []
        }
    }

    /// The detail's lines before wrapping, all of them in one list (tests read the detail this way).
    public var detailLines: [DetailLine] { detailSegments.flatMap { $0 } }

    /// The detail's rows at `width` cells: the facts wrap, while the rows of a preview or an
    /// event list take one row each (cut at the edge; `enter` opens them whole), so a diff
    /// of 10,000 rows is neither copied nor measured to be laid out.
    public func detailRows(width: Int) -> DetailRows {
        var segments = detailSegments
        guard !segments.isEmpty else { return DetailRows([]) }
        var wrapped: [DetailLine] = []
        for line in segments[0] {
            if line.heading || line.whole != nil || line.loadsMore {
                wrapped.append(line)
                continue
            }
            for part in line.text.split(separator: "\n", omittingEmptySubsequences: false) {
                for piece in Screen.wrap(String(part), width: width) {
                    var row = line
                    row.text = piece
                    wrapped.append(row)
                }
            }
        }
        segments[0] = wrapped
        return DetailRows(segments)
    }

    func migrationDetail(_ migration: Snapshot.Migration) -> [[DetailLine]] {
        var lines = [DetailLine(migration.description)]
        var facts = ["checksum \(migration.checksum.prefix(8))…"]
        if migration.skippable { facts.append("skippable") }
        if !migration.handlers.isEmpty { facts.append("handlers \(migration.handlers.allSatisfy(\.ok) ? "✓" : "✗")") }
        if let count = candidates[migration.id] { facts.append("candidates \(count)") }
        if migration.outOfOrder { facts.append("out of order") }
        lines.append(DetailLine(facts.joined(separator: "  "), .dim))
        var file: [String] = migration.kind == "swift" ? ["Swift migration"] : migration.path.map { [$0] } ?? ["file missing"]
        if let batch = migration.batch { file.append("batch \(batch)") }
        if migration.atomic { file.append("atomic") }
        file.append(migration.revertible ? "revertible" : "no @down")
        if !migration.rebuilds.isEmpty { file.append("rebuilds \(migration.rebuilds.joined(separator: ", "))") }
        lines.append(DetailLine(file.joined(separator: " · "), .dim))
        if let error = migration.lastError, migration.state != .applied {
            // The failure first: the error, its payload and the fix, each on its own line.
            lines.append(.heading("last run \(migration.lastRun.map(String.init) ?? "?") \(migration.lastStatus ?? "")"))
            for part in error.split(separator: "\n", omittingEmptySubsequences: false) {
                let text = part.trimmingCharacters(in: .whitespaces)
                if text.hasPrefix("fix:") {
                    lines.append(DetailLine(text, .accent))
                } else if text.hasPrefix("payload:") || text.hasPrefix("stream_tenant:") {
                    lines.append(DetailLine(text, .normal, whole: text.hasPrefix("payload:")
                        ? DetailLine.Whole(title: "payload of the failed row", text: PreviewModel.pretty(String(text.dropFirst(9))))
                        : nil))
                } else {
                    lines.append(DetailLine(text, .failed))
                }
            }
            if migration.lastRun != nil { lines.append(DetailLine("l: its log · d: preview again", .dim)) }
        }
        for handler in migration.handlers {
            lines.append(DetailLine("\(handler.ok ? "✓" : "✗") \(handler.name)\(handler.ok ? "" : " — not registered, or refuses system")",
                                    handler.ok ? .normal : .error))
        }
        if let appliedAt = migration.appliedAt {
            var text = "\(migration.baseline ? "baseline" : "applied") \(Renderer.short(appliedAt))"
            if let by = migration.appliedBy { text += " by \(by)" }
            if let run = migration.appliedRun { text += " · run \(run)" }
            if let events = migration.eventsWritten { text += " · \(events) event\(events == 1 ? "" : "s")" }
            if let duration = migration.durationMilliseconds { text += " · \(duration) ms" }
            lines.append(DetailLine(text, .applied))
        }
        if let recovery = migration.recovery {
            lines.append(DetailLine(recovery, .accent))
        }
        if let source = migration.skipSource {
            if source == "env" {
                lines.append(DetailLine("skipped by \(migration.skipReason ?? "CAIRN_SKIP_…")=1 in this process's environment", .skipped))
            } else {
                var text = "skipped by \(migration.skipBy ?? "?"): \"\(migration.skipReason ?? "")\""
                if let until = migration.skipUntil { text += " until \(Renderer.short(until))" }
                lines.append(DetailLine(text, .skipped))
            }
        }
        for problem in migration.problems {
            lines.append(DetailLine("! \(problem)", migration.state == .retired ? .dim : .error))
        }
        if migration.state == .drift {
            lines.append(DetailLine("a: repair — approve the edited file on the record (asks for a reason)", .dim))
        } else if migration.state == .missing {
            lines.append(DetailLine("a: retire — its file was deleted on purpose (asks for a reason)", .dim))
        }
        switch previews[migration.id] {
        case .loading?:
            lines.append(.heading("dry-run"))
            lines.append(DetailLine("running a dry-run…", .dim))
        case .failed(let message)?:
            lines.append(.heading("dry-run"))
            lines.append(DetailLine(message, .error))
        case .done(let preview)?:
            return [lines, preview.lines, writtenEvents[migration.id]?.lines ?? []]
        case nil:
            if migration.state != .applied && migration.state != .missing && migration.state != .retired {
                lines.append(.heading("dry-run"))
                lines.append(DetailLine("press d to preview the events and row changes, D to preview every pending one in order", .dim))
            }
        }
        return [lines, writtenEvents[migration.id]?.lines ?? []]
    }

    func runDetail(_ run: Snapshot.Run) -> [DetailLine] {
        var lines = [
            DetailLine("started \(Renderer.short(run.startedAt)) on \(run.host):\(run.pid)"),
            DetailLine(run.finishedAt.map { "finished \(Renderer.short($0))" } ?? "still running", .dim),
            DetailLine("\(run.migrationsApplied) migration\(run.migrationsApplied == 1 ? "" : "s") · \(run.eventsWritten) event\(run.eventsWritten == 1 ? "" : "s")"),
        ]
        if let error = run.error {
            lines.append(.heading(run.kind == "dry-run" ? "what the preview found" : "error"))
            lines.append(DetailLine(error, run.kind == "dry-run" ? .diffChange : .failed))
        }
        if let items = runMigrations[run.id], !items.isEmpty {
            lines.append(.heading("migrations · \(items.count)"))
            for item in items {
                let (glyph, role): (String, StyleRole) = switch item.status {
                case "applied": ("✓", .applied)
                case "reverted": ("↶", .applied)
                case "skipped": ("⤼", .skipped)
                case "running": ("▶", .pending)
                case "canceled": ("⏹", .skipped)
                default: ("✗", .failed)
                }
                lines.append(DetailLine("\(glyph) \(item.id) \(item.status)"
                    + (item.events > 0 ? " · \(item.events) event\(item.events == 1 ? "" : "s")" : ""), role))
            }
        }
        lines.append(DetailLine("enter: open its log", .dim))
        return lines
    }

    func projectionDetail(_ projection: Snapshot.Projection) -> [DetailLine] {
        var lines = [
            DetailLine("version in code \(projection.codeVersion) · in the store \(projection.storedVersion.map(String.init) ?? "none")"),
            DetailLine("checkpoint \(projection.checkpoint) of \(projection.head) events"),
            DetailLine(projection.rebuiltAt.map { "rebuilt \(Renderer.short($0))" } ?? "never rebuilt", .dim),
        ]
        if let reason = projection.staleReason {
            lines.append(DetailLine("stale: \(reason)", .failed))
        }
        lines.append(DetailLine("b: rebuild it from every event (readers keep the old tables until the swap)", .dim))
        return lines
    }

    func environmentDetail(_ environment: EnvironmentItem) -> [DetailLine] {
        [
            DetailLine("database \(environment.database)"),
            DetailLine(environment.protected ? "protected: writing actions ask for its name" : "not protected",
                       environment.protected ? .failed : .dim),
            DetailLine(environment.current ? "this is the environment shown" : "enter: switch to it", .dim),
        ]
    }
}
