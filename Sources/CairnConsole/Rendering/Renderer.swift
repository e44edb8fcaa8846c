import CairnRunner
import Foundation

/// Draws the console state into a screen of cells: frame, the current view,
/// the log strip, the hint bar, and any dialog on top.
public enum Renderer {
    /// The state drawn on a `width` × `height` screen.
    public static func render(_ state: ConsoleState) -> Screen {
        var screen = Screen(width: state.width, height: state.height)
        let layout = Layout(width: state.width, height: state.height)
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
        HintBar.draw(&screen, state, layout)
        switch state.modal {
        case .help(let scroll): Dialogs.drawHelp(&screen, state, scroll: scroll)
        case .confirm(let confirmation): Dialogs.drawConfirm(&screen, confirmation)
        case .message(let title, let lines, let isError): Dialogs.drawMessage(&screen, title: title, lines: lines, isError: isError)
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
            title += " · \(snapshot.environment) · \(URL(fileURLWithPath: snapshot.database).lastPathComponent)"
        }
        if state.protected { title += " · PROTECTED" }
        if state.readonlyReason != nil { title += " · read-only" }
        title += " "
        let used = screen.putTruncated(title, x: 2, y: 0, role: .title, limit: max(10, width / 2))
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
        if state.view != .log {
            // The split between the list and the detail pane.
            screen.vertical(x: layout.listWidth, y: 1, length: layout.paneBottom - 1)
        }
    }

    /// Draws `items` in the list pane with the selected row highlighted, and the pane's header.
    static func drawList(
        _ screen: inout Screen, _ state: ConsoleState, _ layout: Layout, title: String,
        rows: [(text: String, glyph: String, role: StyleRole)]
    ) {
        let view = state.view
        let filter = state.filters[view].map { " /\($0)" } ?? ""
        let header = "\(title)\(filter)" + (rows.isEmpty ? "" : " \(min(rows.count, (state.selection[view] ?? 0) + 1))/\(rows.count)")
        screen.putTruncated(header, x: 2, y: layout.paneTop, role: state.focus == .list ? .accent : .title, limit: layout.listWidth - 3)
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

    /// Draws detail lines with the detail pane's scroll.
    static func drawDetail(_ screen: inout Screen, _ state: ConsoleState, _ layout: Layout, lines: [(String, StyleRole)]) {
        var wrapped: [(String, StyleRole)] = []
        for (text, role) in lines {
            if text.hasPrefix("─") {
                wrapped.append((text, role))
                continue
            }
            for part in text.split(separator: "\n", omittingEmptySubsequences: false) {
                for piece in Screen.wrap(String(part), width: layout.detailWidth) { wrapped.append((piece, role)) }
            }
        }
        let rows = layout.paneBottom - layout.paneTop - 1
        let top = min(state.detailTop, max(0, wrapped.count - rows))
        for offset in 0..<rows {
            let index = top + offset
            guard index < wrapped.count else { break }
            let (text, role) = wrapped[index]
            if text.hasPrefix("─") {
                let label = text.trimmingCharacters(in: CharacterSet(charactersIn: "─ "))
                screen.horizontal(x: layout.detailX, y: layout.paneTop + 1 + offset, length: layout.detailWidth + 1, role: .border)
                screen.put(" \(label) ", x: layout.detailX + 2, y: layout.paneTop + 1 + offset, role: .title)
                continue
            }
            screen.putTruncated(text, x: layout.detailX + 1, y: layout.paneTop + 1 + offset, role: role, limit: layout.detailWidth)
        }
        if wrapped.count > rows {
            let marker = top + rows < wrapped.count ? "↓ more (tab, j/k)" : "↑"
            screen.put(" \(marker) ", x: layout.width - 3 - DisplayWidth.of(marker) - 2, y: layout.paneBottom - 1, role: .dim)
        }
    }

    /// Writes a detail pane header: a title on the left, a status on the right.
    static func drawDetailHeader(_ screen: inout Screen, _ state: ConsoleState, _ layout: Layout, title: String, status: String, role: StyleRole) {
        let statusWidth = DisplayWidth.of(status)
        let titleLimit = max(1, layout.detailWidth - statusWidth - 2)
        screen.putTruncated(title, x: layout.detailX + 1, y: layout.paneTop, role: state.focus == .detail ? .accent : .title, limit: titleLimit)
        screen.put(status, x: layout.width - 2 - statusWidth, y: layout.paneTop, role: role)
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
        }
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
