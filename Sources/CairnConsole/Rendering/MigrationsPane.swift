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
    }
}
