/// The projections view: code version against stored version, checkpoint, stale.
enum ProjectionsPane {
    static func draw(_ screen: inout Screen, _ state: ConsoleState, _ layout: Layout) {
        let projections = state.visibleProjections
        Renderer.drawList(&screen, state, layout, title: "Projections", rows: projections.map { projection in
            (projection.name + (projection.staleReason != nil ? " (stale)" : ""), projection.staleReason != nil ? "!" : "✓",
             projection.staleReason != nil ? .failed : .applied)
        })
        guard let projection = state.selectedProjection else { return }
        Renderer.drawDetailHeader(&screen, state, layout, title: projection.name,
                                  status: projection.staleReason == nil ? "current" : "stale",
                                  role: projection.staleReason == nil ? .applied : .failed)
        var lines: [(String, StyleRole)] = [
            ("version in code \(projection.codeVersion) · in the store \(projection.storedVersion.map(String.init) ?? "none")", .normal),
            ("checkpoint \(projection.checkpoint) of \(projection.head) events", .normal),
            (projection.rebuiltAt.map { "rebuilt \(Renderer.short($0))" } ?? "never rebuilt", .dim),
        ]
        if let reason = projection.staleReason {
            lines.append(("stale: \(reason)", .failed))
        }
        lines.append(("b: rebuild it from every event (readers keep the old tables until the swap)", .dim))
        Renderer.drawDetail(&screen, state, layout, lines: lines)
    }
}
