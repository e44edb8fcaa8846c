import CairnRunner

/// The migrations view: the list with state glyphs, and the selected migration's detail
/// (`ConsoleState.migrationDetail`): its failure and fix, dry-run diff and written events.
enum MigrationsPane {
    static func draw(_ screen: inout Screen, _ state: ConsoleState, _ layout: Layout) {
        Renderer.drawList(&screen, state, layout, title: "Migrations", rows: state.visibleMigrations.map { migration in
            let (glyph, role) = Renderer.glyph(migration.state)
            return (migration.id, glyph, role)
        })
        Renderer.drawDetailPane(&screen, state, layout)
        if state.visibleMigrations.isEmpty, let problems = state.snapshot?.problems, !problems.isEmpty {
            // No status to list (no seeds folder…): the problem whole, where the detail would be.
            var y = layout.paneTop + 1
            for line in problems.flatMap({ $0.components(separatedBy: "\n") }).flatMap({ Screen.wrap($0, width: layout.detailWidth) })
            where y < layout.paneBottom {
                screen.putTruncated(line, x: layout.detailX + 1, y: y, role: .error, limit: layout.detailWidth)
                y += 1
            }
        }
    }
}
