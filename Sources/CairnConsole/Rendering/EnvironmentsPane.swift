/// The environments view: those of `cairn.toml`; enter switches without restarting.
enum EnvironmentsPane {
    static func draw(_ screen: inout Screen, _ state: ConsoleState, _ layout: Layout) {
        Renderer.drawList(&screen, state, layout, title: "Environments", rows: state.visibleEnvironments.map { environment in
            (environment.name + (environment.protected ? " (protected)" : ""), environment.current ? "●" : "○",
             environment.current ? .accent : .dim)
        })
        guard state.selectedEnvironment != nil else {
            screen.putTruncated("no environments in cairn.toml: this console was opened with --db",
                                x: layout.detailX + 1, y: layout.paneTop + 1, role: .dim, limit: layout.detailWidth)
            return
        }
        Renderer.drawDetailPane(&screen, state, layout)
    }
}
