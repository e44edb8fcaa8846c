/// The environments view: those of `cairn.toml`; enter switches without restarting.
enum EnvironmentsPane {
    static func draw(_ screen: inout Screen, _ state: ConsoleState, _ layout: Layout) {
        let environments = state.visibleEnvironments
        Renderer.drawList(&screen, state, layout, title: "Environments", rows: environments.map { environment in
            (environment.name + (environment.protected ? " (protected)" : ""), environment.current ? "●" : "○",
             environment.current ? .accent : .dim)
        })
        guard let environment = state.selectedEnvironment else {
            screen.putTruncated("no environments in cairn.toml: this console was opened with --db",
                                x: layout.detailX + 1, y: layout.paneTop + 1, role: .dim, limit: layout.detailWidth)
            return
        }
        Renderer.drawDetailHeader(&screen, state, layout, title: environment.name,
                                  status: environment.current ? "open" : "", role: .accent)
        Renderer.drawDetail(&screen, state, layout, lines: [
            ("database \(environment.database)", .normal),
            (environment.protected ? "protected: writing actions ask for its name" : "not protected", environment.protected ? .failed : .dim),
            (environment.current ? "this is the environment shown" : "enter: switch to it", .dim),
        ])
    }
}
