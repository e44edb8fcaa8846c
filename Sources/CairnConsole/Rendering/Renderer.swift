import CairnRunner
import CairnText
import Foundation

/// Draws the console state into a screen of cells: frame, the current view,
/// the log strip, the hint bar, and any dialog on top.
public enum Renderer {
    /// The state drawn on a `width` × `height` screen.
    public static func render(_ state: ConsoleState) -> Screen {
        var screen = Screen(width: state.width, height: state.height)
        let layout = Layout.of(state)
        if layout.tooSmall {
            drawTooSmall(&screen)
            return screen
        }
        drawFrame(&screen, state, layout)
        switch state.view {
        case .migrations: MigrationsPane.draw(&screen, state, layout)
        case .runs: RunsPane.draw(&screen, state, layout)
        case .projections: ProjectionsPane.draw(&screen, state, layout)
        case .environments: EnvironmentsPane.draw(&screen, state, layout)
        case .log: LogPane.drawFull(&screen, state, layout)
        }
        if state.view != .log && layout.stripLines > 0 {
            LogPane.drawStrip(&screen, state, layout)
        }
        drawDetailPosition(&screen, state, layout)
        MessageLine.draw(&screen, state, layout)
        HintBar.draw(&screen, state, layout)
        switch state.modal {
        case .help(let scroll): Dialogs.drawHelp(&screen, state, scroll: scroll)
        case .confirm(let confirmation): Dialogs.drawConfirm(&screen, confirmation)
        case .message(let title, let lines, let isError): Dialogs.drawMessage(&screen, title: title, lines: lines, isError: isError)
        case .viewer(let viewer): Dialogs.drawViewer(&screen, viewer)
        case nil: break
        }
        return screen
    }

    static func drawTooSmall(_ screen: inout Screen) {
        let lines = [
            "terminal too small",
            "\(screen.width)×\(screen.height); cairn needs at least \(Layout.minimumWidth)×\(Layout.minimumHeight)",
            "enlarge the window, or press q to quit",
        ]
        let top = max(0, screen.height / 2 - 1)
        for (offset, line) in lines.enumerated() {
            let width = DisplayWidth.of(line)
            screen.putTruncated(line, x: max(0, (screen.width - width) / 2), y: top + offset,
                                role: offset == 0 ? .error : .normal, limit: screen.width)
        }
    }

    /// The outer frame: title with counts on top, side borders, the split between panes.
    static func drawFrame(_ screen: inout Screen, _ state: ConsoleState, _ layout: Layout) {
        let width = layout.width
        screen.box(x: 0, y: 0, width: width, height: layout.height)
        var title = " cairn"
        if let snapshot = state.snapshot {
            // A server's database says which host it is on (host/dbname); a file, its name.
            if snapshot.database.contains("://") {
                // An environment named after its database (`--db URL`) is said once.
                let place = Renderer.serverPlace(snapshot.database)
                title += place.hasSuffix("/\(snapshot.environment)") ? " · \(place)" : " · \(snapshot.environment) · \(place)"
            } else {
                title += " · \(snapshot.environment) · \(URL(fileURLWithPath: snapshot.database).lastPathComponent)"
            }
        }
        if state.readonlyReason != nil { title += " · read-only" }
        title += " "
        let titleLimit = max(10, width / 2)
        var used = screen.putTruncated(title, x: 2, y: 0, role: .title, limit: titleLimit - (state.protected ? 12 : 0))
        if state.protected {
            if screen[1 + used, 0].character != " " { used += screen.put(" ", x: 2 + used, y: 0, role: .title) }
            // In the theme's danger colour: the one word an operator must not miss.
            used += screen.put("PROTECTED", x: 2 + used, y: 0, role: .danger)
            used += screen.put(" ", x: 2 + used, y: 0, role: .border)
        }
        if let snapshot = state.snapshot {
            var counts: [(String, StyleRole)] = [
                ("\(snapshot.count(.applied)) applied", .applied), ("\(snapshot.count(.pending)) pending", .pending),
                ("\(snapshot.count(.failed)) failed", .failed), ("\(snapshot.count(.skipped)) skipped", .skipped),
            ] + (snapshot.count(.partial) > 0 ? [("\(snapshot.count(.partial)) partial", StyleRole.drift)] : [])
              + (snapshot.count(.drift) + snapshot.count(.missing) > 0
                ? [("\(snapshot.count(.drift) + snapshot.count(.missing)) drift", StyleRole.drift)] : [])
            var text = " " + counts.map(\.0).joined(separator: " · ") + " "
            if width - 2 - DisplayWidth.of(text) <= 2 + used {
                // Too long beside the title: the states' glyphs with their counts (`✓1 ›1 ✗1 ◐1`).
                counts = counts.map { part, role in
                    let parts = part.split(separator: " ", maxSplits: 1)
                    let state = MigrationState(rawValue: parts.count == 2 ? String(parts[1]) : "") ?? .drift
                    return ("\(Renderer.glyph(state).0)\(parts.first ?? "")", role)
                }
                text = " " + counts.map(\.0).joined(separator: " · ") + " "
            }
            let textWidth = DisplayWidth.of(text)
            var x = width - 2 - textWidth
            if x > 2 + used {
                x += screen.put(" ", x: x, y: 0, role: .border)
                for (index, (part, role)) in counts.enumerated() {
                    x += screen.put(part, x: x, y: 0, role: role)
                    if index < counts.count - 1 { x += screen.put(" · ", x: x, y: 0, role: .border) }
                }
                screen.put(" ", x: x, y: 0, role: .border)
            }
        }
        if let lock = state.snapshot?.lock {
            drawLockBanner(&screen, lock, state, layout)
        }
        if state.view != .log {
            // The split between the list and the detail pane.
            screen.vertical(x: layout.listWidth, y: layout.paneTop, length: layout.paneBottom - layout.paneTop)
        }
    }

    /// The lock banner under the title: who holds the lock, from where, how fresh its heartbeat is.
    static func drawLockBanner(_ screen: inout Screen, _ lock: Snapshot.Lock, _ state: ConsoleState, _ layout: Layout) {
        let y = layout.paneTop - 1
        screen.fill(x: 1, y: y, width: layout.width - 2, height: 1, role: .normal)
        let text = lockText(lock)
        let role: StyleRole = lock.ours ? .accent : lock.staleReason != nil ? .error : .danger
        screen.putTruncated(text, x: 2, y: y, role: role, limit: layout.width - 4)
    }

    /// The lock in one line: holder, pid, host, run, heartbeat age, stale or live, and what to press.
    static func lockText(_ lock: Snapshot.Lock) -> String {
        let age = "heartbeat \(lock.heartbeatAge.map { "\($0) s ago" } ?? Renderer.short(lock.heartbeatAt))"
        var parts: [String]
        if lock.ours {
            parts = ["🔒 locked by this console's job", age]
        } else if let stale = lock.staleReason {
            parts = ["🔒 STALE lock of \(lock.holder)", "pid \(lock.pid) on \(lock.host)", age, "x breaks it", "stale: \(stale)"]
        } else {
            parts = ["🔒 LIVE lock: \(lock.holder)", "pid \(lock.pid) on \(lock.host)", age, "not stale"]
        }
        if let run = lock.runId { parts.insert("run \(run)", at: min(parts.count, 3)) }
        if !lock.ours && lock.staleReason == nil { parts.append("x breaks it (that run stops at its next batch)") }
        return parts.joined(separator: " · ")
    }

    /// Draws `items` in the list pane with the selected row highlighted, and the pane's header.
    static func drawList(
        _ screen: inout Screen, _ state: ConsoleState, _ layout: Layout, title: String,
        rows: [(text: String, glyph: String, role: StyleRole)]
    ) {
        let view = state.view
        let filter = state.filters[view].map { " /\($0)" } ?? ""
        let header = "\(title)\(filter)" + (rows.isEmpty ? "" : " \(min(rows.count, (state.selection[view] ?? 0) + 1))/\(rows.count)")
        drawPaneTitle(&screen, header, x: 1, y: layout.paneTop, focused: state.focus == .list && state.view != .environments, limit: layout.listWidth - 2)
        let top = state.listTop[view] ?? 0
        let selected = state.selection[view] ?? 0
        let width = layout.listWidth - 2
        for offset in 0..<layout.listRows {
            let index = top + offset
            guard index < rows.count else { break }
            let y = layout.paneTop + 1 + offset
            let row = rows[index]
            let isSelected = index == selected
            let base: StyleRole = isSelected ? .selection : .normal
            screen.fill(x: 1, y: y, width: width, height: 1, role: base)
            let glyphWidth = screen.put(row.glyph, x: 2, y: y, role: isSelected ? .selection : row.role, limit: 2)
            screen.putTruncated(row.text, x: 2 + max(glyphWidth, 1) + 1, y: y, role: base, limit: width - 3 - max(glyphWidth, 1))
        }
        if rows.isEmpty {
            screen.putTruncated(state.snapshot == nil ? (state.loadError ?? "loading…") : "(none)", x: 2, y: layout.paneTop + 1,
                                role: state.loadError != nil ? .error : .dim, limit: width - 2)
        }
    }

    /// Draws the detail pane: its header, then only the rows in view (a diff of 10,000 rows
    /// costs what a short one does), the cursor row when the pane has the keys, and the position.
    static func drawDetailPane(_ screen: inout Screen, _ state: ConsoleState, _ layout: Layout) {
        guard let header = state.detailHeader else { return }
        drawDetailHeader(&screen, state, layout, title: header.title, status: header.status, role: header.role)
        let rows = state.detailRows(width: layout.detailWidth)
        let visible = layout.detailRows
        let top = min(state.detailTop, max(0, rows.count - visible))
        let focused = state.focus == .detail
        let term = state.detailSearch?.lowercased()
        for offset in 0..<visible {
            let index = top + offset
            guard index < rows.count else { break }
            let row = rows[index]
            let y = layout.paneTop + 1 + offset
            if row.heading {
                screen.horizontal(x: layout.detailX, y: y, length: layout.detailWidth + 1, role: .border)
                let used = screen.putTruncated(" \(row.text) ", x: layout.detailX + 2, y: y, role: .title, limit: layout.detailWidth - 2)
                if focused && index == state.detailCursor { screen.paint(x: layout.detailX + 2, y: y, width: used, role: .selection) }
                continue
            }
            var role = row.role
            if let term, !term.isEmpty, row.text.lowercased().contains(term) { role = .match }
            if focused && index == state.detailCursor {
                screen.fill(x: layout.detailX, y: y, width: layout.detailWidth + 2, height: 1, role: .selection)
                role = .selection
            }
            screen.putTruncated(row.text, x: layout.detailX + 1, y: y, role: role, limit: layout.detailWidth)
        }
    }

    /// The detail's position (`line 1,234 of 11,850`) on the pane's bottom edge, drawn after the log strip.
    static func drawDetailPosition(_ screen: inout Screen, _ state: ConsoleState, _ layout: Layout) {
        guard state.view != .log, state.view != .environments, state.detailHeader != nil else { return }
        let rows = state.detailRows(width: layout.detailWidth)
        let visible = layout.detailRows
        let top = min(state.detailTop, max(0, rows.count - visible))
        let focused = state.focus == .detail
        if rows.count > visible || focused {
            let position = focused
                ? "line \((min(rows.count, state.detailCursor + 1)).grouped) of \(rows.count.grouped)"
                : top + visible < rows.count ? "↓ more: tab, then j/k" : "↑ tab, then k"
            let text = " \(position) "
            screen.put(text, x: layout.width - 2 - DisplayWidth.of(text), y: layout.paneBottom - (layout.stripLines > 0 ? 0 : 1),
                       role: .dim)
        }
    }

    /// Writes a detail pane header: a title on the left, a status on the right.
    static func drawDetailHeader(_ screen: inout Screen, _ state: ConsoleState, _ layout: Layout, title: String, status: String, role: StyleRole) {
        let statusWidth = DisplayWidth.of(status)
        let titleLimit = max(1, layout.detailWidth - statusWidth - 2)
        drawPaneTitle(&screen, title, x: layout.detailX, y: layout.paneTop, focused: state.focus == .detail, limit: titleLimit + 1)
        screen.put(status, x: layout.width - 2 - statusWidth, y: layout.paneTop, role: role)
    }

    /// A pane's title: the focused pane's starts with `▶` and is drawn in the focus role
    /// (reversed), so focus shows in the text and without colour.
    static func drawPaneTitle(_ screen: inout Screen, _ title: String, x: Int, y: Int, focused: Bool, limit: Int) {
        if focused {
            screen.putTruncated("▶ \(title) ", x: x, y: y, role: .focus, limit: limit)
        } else {
            screen.putTruncated(" \(title)", x: x, y: y, role: .title, limit: limit)
        }
    }

    /// A timestamp shortened for screens: `2026-05-20 12:01:03`.
    static func short(_ timestamp: String) -> String {
        String(timestamp.prefix(19)).replacingOccurrences(of: "T", with: " ")
    }

    /// The glyph and role of a migration state.
    static func glyph(_ state: MigrationState) -> (String, StyleRole) {
        switch state {
        case .applied: return ("✓", .applied)
        case .pending: return ("›", .pending)
        case .failed: return ("✗", .failed)
        case .partial: return ("◐", .drift)
        case .skipped: return ("⤼", .skipped)
        case .drift: return ("≠", .drift)
        case .missing: return ("?", .missing)
        case .retired: return ("⊘", .dim)
        }
    }

    /// The role and glyph of a run: previews that found problems are marked, not failed.
    static func role(of run: Snapshot.Run) -> StyleRole {
        run.isPreview && run.status == "failed" ? .diffChange : role(ofRunStatus: run.status)
    }

    /// The glyph of a run in the list.
    static func glyph(of run: Snapshot.Run) -> String {
        if run.isPreview { return run.status == "running" ? "▶" : run.status == "failed" ? "!" : "◇" }
        return run.isFailure ? "✗" : run.status == "running" ? "▶" : run.status == "canceled" ? "⏹" : "✓"
    }

    /// The role of a run status.
    static func role(ofRunStatus status: String) -> StyleRole {
        switch status {
        case "succeeded": return .applied
        case "running": return .pending
        case "canceled": return .skipped
        default: return .failed
        }
    }
}

extension Renderer {
    /// `host/dbname` of a server URL (`postgres://app@db.internal:5432/app?sslmode=require` → `db.internal/app`).
    static func serverPlace(_ url: String) -> String {
        let rest = url.components(separatedBy: "://").dropFirst().joined(separator: "://")
        let afterUser = rest.split(separator: "@", omittingEmptySubsequences: false).last.map(String.init) ?? rest
        let parts = afterUser.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        var host = parts.first.map(String.init) ?? ""
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            host = String(host[...close])
        } else if let colon = host.lastIndex(of: ":") {
            host = String(host[..<colon])
        }
        let database = parts.count > 1 ? String(parts[1].split(separator: "?").first ?? "") : ""
        return "\(host)/\(database)"
    }
}
