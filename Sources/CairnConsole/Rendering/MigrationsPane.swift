import CairnRunner

/// The migrations view: the list with state glyphs, and the selected migration's
/// detail, dry-run diff and written events.
enum MigrationsPane {
    static func draw(_ screen: inout Screen, _ state: ConsoleState, _ layout: Layout) {
        let migrations = state.visibleMigrations
        Renderer.drawList(&screen, state, layout, title: "Migrations", rows: migrations.map { migration in
            let (glyph, role) = Renderer.glyph(migration.state)
            return (migration.id, glyph, role)
        })
        guard let migration = state.selectedMigration else { return }
        let (_, role) = Renderer.glyph(migration.state)
        Renderer.drawDetailHeader(&screen, state, layout, title: migration.id, status: migration.state.rawValue, role: role)
        Renderer.drawDetail(&screen, state, layout, lines: detail(migration, state))
    }

    /// The detail lines of a migration.
    static func detail(_ migration: Snapshot.Migration, _ state: ConsoleState) -> [(String, StyleRole)] {
        var lines: [(String, StyleRole)] = [(migration.description, .normal)]
        var facts = ["checksum \(migration.checksum.prefix(8))…"]
        if migration.skippable { facts.append("skippable") }
        if !migration.handlers.isEmpty { facts.append("handlers \(migration.handlers.allSatisfy(\.ok) ? "✓" : "✗")") }
        if let count = state.candidates[migration.id] { facts.append("candidates \(count)") }
        if migration.outOfOrder { facts.append("out of order") }
        lines.append((facts.joined(separator: "  "), .dim))
        var file: [String] = migration.kind == "swift" ? ["Swift migration"] : migration.path.map { [$0] } ?? ["file missing"]
        if let batch = migration.batch { file.append("batch \(batch)") }
        if migration.atomic { file.append("atomic") }
        file.append(migration.revertible ? "revertible" : "no @down")
        if !migration.rebuilds.isEmpty { file.append("rebuilds \(migration.rebuilds.joined(separator: ", "))") }
        lines.append((file.joined(separator: " · "), .dim))
        for handler in migration.handlers {
            lines.append(("\(handler.ok ? "✓" : "✗") \(handler.name)\(handler.ok ? "" : " — not registered, or refuses system")",
                          handler.ok ? .normal : .error))
        }
        if let appliedAt = migration.appliedAt {
            var text = "applied \(Renderer.short(appliedAt))"
            if let by = migration.appliedBy { text += " by \(by)" }
            if let run = migration.appliedRun { text += " · run \(run)" }
            if let events = migration.eventsWritten { text += " · \(events) event\(events == 1 ? "" : "s")" }
            if let duration = migration.durationMilliseconds { text += " · \(duration) ms" }
            lines.append((text, .applied))
        }
        if let source = migration.skipSource {
            if source == "env" {
                lines.append(("skipped by \(migration.skipReason ?? "CAIRN_SKIP_…")=1 in this process's environment", .skipped))
            } else {
                var text = "skipped by \(migration.skipBy ?? "?"): \"\(migration.skipReason ?? "")\""
                if let until = migration.skipUntil { text += " until \(Renderer.short(until))" }
                lines.append((text, .skipped))
            }
        }
        if let error = migration.lastError, migration.state != .applied {
            lines.append(("last run \(migration.lastRun.map(String.init) ?? "?") \(migration.lastStatus ?? ""): \(error)", .failed))
        }
        for problem in migration.problems {
            lines.append(("! \(problem)", .error))
        }
        switch state.previews[migration.id] {
        case .loading?:
            lines.append(("─ dry-run", .border))
            lines.append(("running a dry-run…", .dim))
        case .failed(let message)?:
            lines.append(("─ dry-run", .border))
            lines.append((message, .error))
        case .done(let preview)?:
            lines.append(("─ dry-run (run \(preview.runId), rolled back)", .border))
            if preview.events.isEmpty { lines.append(("no events would be appended", .dim)) }
            for event in preview.events { lines.append((event, .diffAdd)) }
            for change in preview.changes {
                let role: StyleRole = change.glyph == "+" ? .diffAdd : change.glyph == "-" ? .diffRemove : .diffChange
                lines.append(("\(change.glyph) \(change.text)", role))
            }
            for rejection in preview.rejections { lines.append(("✗ \(rejection)", .failed)) }
            lines.append(preview.idempotent ? ("idempotent ✓", .applied) : ("NOT idempotent: \(preview.note ?? "")", .failed))
        case nil:
            if migration.state != .applied && migration.state != .missing {
                lines.append(("─ dry-run", .border))
                lines.append(("press d to preview the events and row changes", .dim))
            }
        }
        if let events = state.writtenEvents[migration.id] {
            lines.append(("─ events written", .border))
            if events.isEmpty { lines.append(("none", .dim)) }
            for event in events { lines.append((event, .normal)) }
        }
        return lines
    }
}
