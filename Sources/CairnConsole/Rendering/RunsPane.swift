/// The runs view: every run, newest first, failed ones marked; the detail of the selected one.
enum RunsPane {
    static func draw(_ screen: inout Screen, _ state: ConsoleState, _ layout: Layout) {
        let runs = state.visibleRuns
        Renderer.drawList(&screen, state, layout, title: "Runs", rows: runs.map { run in
            let glyph = run.isFailure ? "✗" : run.status == "running" ? "▶" : run.status == "canceled" ? "⏹" : "✓"
            let text = "\(run.id) \(run.kind) \(run.trigger) \(run.status) \(Renderer.short(run.startedAt).dropFirst(5))"
            return (text, glyph, Renderer.role(ofRunStatus: run.status))
        })
        guard let run = state.selectedRun else { return }
        Renderer.drawDetailHeader(&screen, state, layout, title: "run \(run.id) · \(run.kind) · \(run.trigger)", status: run.status,
                                  role: Renderer.role(ofRunStatus: run.status))
        var lines: [(String, StyleRole)] = [
            ("started \(Renderer.short(run.startedAt)) on \(run.host):\(run.pid)", .normal),
            (run.finishedAt.map { "finished \(Renderer.short($0))" } ?? "still running", .dim),
            ("\(run.migrationsApplied) migration\(run.migrationsApplied == 1 ? "" : "s") · \(run.eventsWritten) event\(run.eventsWritten == 1 ? "" : "s")", .normal),
        ]
        if let error = run.error {
            lines.append(("─ error", .border))
            lines.append((error, .failed))
        }
        lines.append(("enter: open its log", .dim))
        Renderer.drawDetail(&screen, state, layout, lines: lines)
    }
}
