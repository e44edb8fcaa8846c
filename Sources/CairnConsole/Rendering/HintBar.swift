/// The bottom border: the keys of the current view from the keymap table, or the input line.
enum HintBar {
    static func draw(_ screen: inout Screen, _ state: ConsoleState, _ layout: Layout) {
        let y = layout.height - 1
        let limit = layout.width - 4
        if let input = state.input {
            let prompt: String
            switch input.purpose {
            case .filter: prompt = " /filter: "
            case .search: prompt = " /search the log: "
            case .detailSearch: prompt = " /search the detail: "
            case .command: prompt = " :"
            }
            var x = 2 + screen.put(prompt, x: 2, y: y, role: .accent)
            x += screen.putTruncated(input.text, x: x, y: y, role: .input, limit: max(1, limit - x - 30))
            screen.put("█ ", x: x, y: y, role: .accent)
            let hint = " " + Keymap.modalHint(input.purpose == .command ? .command : .input) + " "
            let width = DisplayWidth.of(hint)
            screen.putTruncated(hint, x: max(x + 3, layout.width - 2 - width), y: y, role: .hint, limit: width)
            return
        }
        var x = 2
        if state.readonlyReason != nil {
            x += screen.putTruncated(" read-only: writing keys are off ", x: x, y: y, role: .error, limit: limit)
        }
        for binding in fitting(Keymap.hints(for: state.view, focus: state.focus), width: 2 + limit - x) {
            let keys = binding.hintText?.keys ?? binding.keyText
            let label = binding.hintText?.label ?? binding.label
            let disabled = Reducer.disabledReason(binding.command, state) != nil
                && (binding.command.writes || binding.command == .dryRun || binding.command == .dryRunAll)
            let text = " \(keys) \(label) "
            let width = DisplayWidth.of(text)
            if x + width > 2 + limit { break }
            if x > 2 { x += screen.put("·", x: x, y: y, role: .border) }
            screen.put(" ", x: x, y: y, role: .border)
            x += 1
            x += screen.put(keys, x: x, y: y, role: disabled ? .hintDisabled : .hintKey)
            x += screen.put(" \(label) ", x: x, y: y, role: disabled ? .hintDisabled : .hint)
        }
    }

    /// The hints that fit in `width` cells, in order; help and quit always stay.
    static func fitting(_ hints: [Keymap.Binding], width: Int) -> [Keymap.Binding] {
        func cost(_ binding: Keymap.Binding) -> Int {
            DisplayWidth.of(" \(binding.hintText?.keys ?? binding.keyText) \(binding.hintText?.label ?? binding.label) ") + 1
        }
        let kept = hints.filter { $0.command == .help || $0.command == .quit }
        var budget = width - kept.reduce(0) { $0 + cost($1) }
        var chosen: [Keymap.Binding] = []
        for binding in hints where !kept.contains(binding) {
            if cost(binding) <= budget {
                chosen.append(binding)
                budget -= cost(binding)
            }
        }
        return hints.filter { chosen.contains($0) || kept.contains($0) }
    }
}
