import CairnText
/// Boxes drawn on top of the views: help, confirmations, messages.
enum Dialogs {
    /// Draws an empty dialog box centred on the screen and returns its inner origin and size.
    static func box(_ screen: inout Screen, title: String, width: Int, height: Int, role: StyleRole = .border) -> (x: Int, y: Int, width: Int, height: Int) {
        let w = min(width, screen.width - 4), h = min(height, screen.height - 2)
        let x = (screen.width - w) / 2, y = max(1, (screen.height - h) / 2)
        screen.fill(x: x, y: y, width: w, height: h, role: .dialog)
        screen.box(x: x, y: y, width: w, height: h, role: role)
        screen.putTruncated(" \(title) ", x: x + 2, y: y, role: .title, limit: w - 4)
        return (x + 2, y + 1, w - 4, h - 2)
    }

    /// The help overlay, generated from the keymap table.
    static func drawHelp(_ screen: inout Screen, _ state: ConsoleState, scroll: Int) {
        var lines: [(String, StyleRole)] = []
        let order: [Keymap.Scope] = [.everywhere, .lists, .panes, .detail, .strip, .migrations, .runs, .log, .projections, .environments]
        for scope in order {
            let bindings = Keymap.bindings.filter { $0.scope == scope }
            guard !bindings.isEmpty else { continue }
            lines.append((scope.title, .title))
            for binding in bindings {
                var text = "  " + binding.keyText.padding(toLength: 16, withPad: " ", startingAt: 0) + binding.label
                var role = StyleRole.normal
                if binding.command.writes, let reason = state.readonlyReason {
                    text += "  (off: \(reason))"
                    role = .hintDisabled
                }
                lines.append((text, role))
            }
        }
        // Dialogs, the viewer and the input lines: every key the console answers, from the same tables.
        let modalNames: [(Keymap.ModalScope, String)] = [
            (.viewer, "viewer (enter on an event, row or payload)"), (.confirmation, "confirmations"), (.message, "messages"),
            (.input, "filter and search lines"), (.command, ": command line"), (.help, "this help"),
        ]
        for (scope, name) in modalNames {
            lines.append((name, .title))
            for binding in Keymap.modalBindings where binding.scope == scope {
                let keys = binding.keys.map(\.description).joined(separator: "/")
                lines.append(("  " + keys.padding(toLength: max(16, keys.count + 2), withPad: " ", startingAt: 0) + binding.label, .normal))
            }
        }
        lines.append((": commands (tab completes)", .title))
        for command in Keymap.lineCommands {
            let key = command.command.flatMap { command in Keymap.bindings.first { $0.command == command }?.keyText }
            lines.append(("  " + (":" + command.name).padding(toLength: 16, withPad: " ", startingAt: 0) + command.summary
                + (key.map { " (\($0))" } ?? ""), .normal))
        }
        lines.append(("mouse", .title))
        lines.append(("  click           selects a row or a detail line", .normal))
        lines.append(("  wheel           scrolls the pane under the pointer", .normal))
        let area = box(&screen, title: "Keys — " + Keymap.modalHint(.help), width: 72, height: screen.height - 2)
        let top = min(scroll, max(0, lines.count - area.height))
        for offset in 0..<area.height where top + offset < lines.count {
            let (text, role) = lines[top + offset]
            screen.putTruncated(text, x: area.x, y: area.y + offset, role: role, limit: area.width)
        }
    }

    /// A confirmation: its lines, the reason and name fields, and Cancel / confirm buttons.
    static func drawConfirm(_ screen: inout Screen, _ confirmation: Confirmation) {
        var body: [String] = []
        for line in confirmation.lines { body += Screen.wrap(line, width: 56) }
        let height = body.count + 4 + (confirmation.reason != nil ? 2 : 0) + (confirmation.requiredName != nil ? 2 : 0)
            + (confirmation.problem != nil ? 1 : 0)
        let area = box(&screen, title: confirmation.title, width: 62, height: height + 2,
                       role: confirmation.requiredName != nil ? .failed : .border)
        var y = area.y
        for line in body {
            screen.putTruncated(line, x: area.x, y: y, role: .dialog, limit: area.width)
            y += 1
        }
        y += 1
        func field(_ label: String, _ text: String, focused: Bool) {
            let used = screen.put(label, x: area.x, y: y, role: .dialog)
            let width = area.width - used - 1
            screen.fill(x: area.x + used, y: y, width: width, height: 1, role: .input)
            let shown = Screen.prefix(String(text.suffix(width - 1)), width: width - 1)
            let end = screen.put(shown, x: area.x + used, y: y, role: .input)
            if focused { screen.put("█", x: area.x + used + end, y: y, role: .accent) }
            y += 2
        }
        if let reason = confirmation.reason { field("reason: ", reason, focused: confirmation.focus == .reason) }
        if let name = confirmation.requiredName {
            field("type \(name): ", confirmation.typedName, focused: confirmation.focus == .name)
        }
        if let problem = confirmation.problem {
            screen.putTruncated(problem, x: area.x, y: y - 1, role: .error, limit: area.width)
        }
        let cancel = "[ Cancel ]", confirm = "[ \(confirmation.action.verb) ]"
        let buttonsWidth = DisplayWidth.of(cancel) + 2 + DisplayWidth.of(confirm)
        var x = area.x + area.width - buttonsWidth
        x += screen.put(cancel, x: x, y: area.y + area.height - 1, role: confirmation.focus == .cancel ? .buttonFocused : .button)
        x += 2
        screen.put(confirm, x: x, y: area.y + area.height - 1, role: confirmation.focus == .confirm ? .buttonFocused : .button)
        screen.putTruncated(Keymap.modalHint(.confirmation), x: area.x, y: area.y + area.height - 1, role: .hint,
                            limit: max(0, area.width - buttonsWidth - 2))
    }

    /// A message box.
    static func drawMessage(_ screen: inout Screen, title: String, lines: [String], isError: Bool) {
        var body: [String] = []
        for line in lines { body += Screen.wrap(line, width: 66) }
        body = Array(body.prefix(max(1, screen.height - 8)))
        let area = box(&screen, title: title, width: 72, height: body.count + 4, role: isError ? .failed : .border)
        for (offset, line) in body.enumerated() {
            screen.putTruncated(line, x: area.x, y: area.y + offset, role: isError ? .error : .dialog, limit: area.width)
        }
        let hint = Keymap.modalHint(.message)
        let width = DisplayWidth.of(hint)
        screen.putTruncated(hint, x: area.x + area.width - width, y: area.y + area.height - 1, role: .hint, limit: width)
    }

    /// One item shown whole: its lines, scrolled, with the position and the viewer's keys.
    static func drawViewer(_ screen: inout Screen, _ viewer: Viewer) {
        let area = box(&screen, title: viewer.title, width: screen.width - 6, height: screen.height - 4, role: .accent)
        let lines = viewer.rows(width: area.width)
        let rows = max(1, area.height - 1)
        let top = min(viewer.top, max(0, lines.count - rows))
        for offset in 0..<rows where top + offset < lines.count {
            screen.putTruncated(lines[top + offset], x: area.x, y: area.y + offset, role: .dialog, limit: area.width)
        }
        let position = "line \((min(lines.count, top + 1)).grouped) of \(lines.count.grouped)"
        let hint = Keymap.modalHint(.viewer) + " · j/k g/G scroll · " + position
        let width = min(area.width, DisplayWidth.of(hint))
        screen.putTruncated(hint, x: area.x + area.width - width, y: area.y + area.height - 1, role: .hint, limit: width)
    }
}
