/// The projections view: code version against stored version, checkpoint, stale.
enum ProjectionsPane {
    static func draw(_ screen: inout Screen, _ state: ConsoleState, _ layout: Layout) {
        Renderer.drawList(&screen, state, layout, title: "Projections", rows: state.visibleProjections.map { projection in
            (projection.name + (projection.staleReason != nil ? " (stale)" : ""), projection.staleReason != nil ? "!" : "✓",
             projection.staleReason != nil ? .failed : .applied)
        })
        Renderer.drawDetailPane(&screen, state, layout)
    }
}
