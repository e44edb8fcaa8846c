/// The runs view: every run of the kinds shown, newest first, failures marked and previews
/// told apart; the detail of the selected one with the migrations it met.
enum RunsPane {
    static func draw(_ screen: inout Screen, _ state: ConsoleState, _ layout: Layout) {
        let kinds = state.runKinds.map { kinds in
            kinds == Set(Snapshot.writingRunKinds) ? " (no previews)" : " (\(kinds.sorted().joined(separator: ", ")))"
        } ?? ""
        Renderer.drawList(&screen, state, layout, title: "Runs\(kinds)", rows: state.visibleRuns.map { run in
            let text = "\(run.id) \(run.kind) \(run.trigger) \(run.shownStatus) \(Renderer.short(run.startedAt).dropFirst(5))"
            return (text, Renderer.glyph(of: run), Renderer.role(of: run))
        })
        Renderer.drawDetailPane(&screen, state, layout)
    }
}
