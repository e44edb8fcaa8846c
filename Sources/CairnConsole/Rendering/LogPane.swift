/// A run's log: full screen in the log view, or its last lines in the strip under the other views.
enum LogPane {
    /// The header: which run, its status, and how the log is read.
    static func header(_ state: ConsoleState) -> String {
        var parts = ["log"]
        if let run = state.log.run {
            parts.append("run \(run.id) (\(run.trigger), \(run.kind), \(run.shownStatus))")
            if state.log.runId == nil { parts.append(run.isPreview ? "newest run" : "newest run that is not a preview") }
        } else if state.log.runId == nil {
            parts.append("newest run")
        }
        if let level = state.log.minimumLevel { parts.append("\(level)+") }
        if state.log.follow { parts.append("following") }
        if state.log.wrap { parts.append("wrap") }
        if let search = state.log.search { parts.append("/\(search) \(state.log.matches.count) match\(state.log.matches.count == 1 ? "" : "es")") }
        return parts.joined(separator: " · ")
    }

    static func role(ofLevel level: String) -> StyleRole {
        switch level {
        case "error": return .logError
        case "warning": return .logWarning
        case "debug": return .logDebug
        default: return .logInfo
        }
    }

    static func drawFull(_ screen: inout Screen, _ state: ConsoleState, _ layout: Layout) {
        screen.putTruncated(header(state), x: 2, y: layout.paneTop, role: .title, limit: layout.width - 4)
        let rows = state.log.rows(width: layout.logViewWidth, window: state.log.top..<(state.log.top + layout.logViewRows))
        let matchLine = state.log.currentMatch.map { state.log.matches[$0] }
        for (offset, row) in rows.enumerated() {
            let line = state.log.lines[row.line]
            let role: StyleRole = row.line == matchLine ? .match : role(ofLevel: line.level)
            screen.putTruncated(row.text, x: 2, y: layout.paneTop + 1 + offset, role: role, limit: layout.logViewWidth)
        }
        if state.log.lines.isEmpty {
            let text = state.log.missing.map { "no run \($0) in this store" }
                ?? (state.snapshot?.runs.isEmpty == true ? "no runs yet" : "loading…")
            screen.put(text, x: 2, y: layout.paneTop + 1, role: state.log.missing != nil ? .error : .dim)
        }
    }

    static func drawStrip(_ screen: inout Screen, _ state: ConsoleState, _ layout: Layout) {
        let y = layout.stripTop
        screen.horizontal(x: 1, y: y, length: layout.width - 2)
        screen.put("├", x: 0, y: y, role: .border)
        screen.put("┴", x: layout.listWidth, y: y, role: .border)
        screen.put("┤", x: layout.width - 1, y: y, role: .border)
        screen.putTruncated(header(state), x: 2, y: y + 1, role: .title, limit: layout.width - 4)
        let lines = state.log.lines.suffix(layout.stripLines)
        for (offset, line) in lines.enumerated() {
            screen.putTruncated(LogState.text(line), x: 2, y: y + 2 + offset, role: role(ofLevel: line.level), limit: layout.width - 4)
        }
    }

}
