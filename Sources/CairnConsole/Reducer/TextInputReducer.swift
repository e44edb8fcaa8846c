/// Keys in the input line (a list filter or a log search), and the text editing that
/// confirmation fields share: characters are typed, keys named in the table are not.
enum TextInputReducer {
    static func reduce(_ key: Key, _ state: inout ConsoleState) -> [Effect] {
        guard var input = state.input else { return [] }
        switch Keymap.modalCommand(for: key, in: .input) {
        case .cancel:
            state.input = nil
            switch input.purpose {
            case .filter: state.filters[state.view] = nil
            case .search: state.log.search = nil; state.log.matches = []
            case .detailSearch, .command: state.detailSearch = nil
            }
            Reducer.clamp(&state)
            return []
        case .apply:
            state.input = nil
            if input.purpose == .detailSearch {
                DetailReducer.search(input.text, &state)
                return []
            }
            if input.purpose == .search {
                state.log.search = input.text.isEmpty ? nil : input.text
                Reducer.updateMatches(&state)
                state.log.currentMatch = nil
                Reducer.jumpToMatch(forward: true, &state)
            }
            return Reducer.selectionEffects(state)
        case .deleteBackward:
            input.text = deletingLast(input.text)
        default:
            guard let character = typed(key) else { return [] }
            input.text.append(character)
        }
        state.input = input
        if input.purpose == .filter {
            state.filters[state.view] = input.text.isEmpty ? nil : input.text
            state.selection[state.view] = 0
            state.listTop[state.view] = 0
        }
        return []
    }

    /// The character a key types, if it types one.
    static func typed(_ key: Key) -> Character? {
        if case .character(let character) = key { return character }
        return nil
    }

    /// `text` without its last character.
    static func deletingLast(_ text: String) -> String {
        text.isEmpty ? text : String(text.dropLast())
    }
}
