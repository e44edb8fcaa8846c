import Foundation
import CairnStore

/// Keys in the `:` command line: typing, `tab` completing the command or its argument from
/// the commands table and the snapshot, `enter` running it through the same command path as its key.
enum CommandLineReducer {
    static func reduce(_ key: Key, _ state: inout ConsoleState) -> [Effect] {
        guard var input = state.input else { return [] }
        switch Keymap.modalCommand(for: key, in: .command) {
        case .cancel:
            state.input = nil
            return []
        case .apply:
            state.input = nil
            return run(input.text, &state)
        case .complete:
            let (text, note) = complete(input.text, state)
            input.text = text
            if let note { state.notice = .init(text: note, isError: false) }
        case .deleteBackward:
            if input.text.isEmpty {
                state.input = nil
                return []
            }
            input.text = TextInputReducer.deletingLast(input.text)
        default:
            guard let character = TextInputReducer.typed(key) else { return [] }
            input.text.append(character)
        }
        state.input = input
        return []
    }

    /// The words an argument of `kind` may be.
    static func words(for kind: Keymap.ArgumentKind, _ state: ConsoleState) -> [String] {
        switch kind {
        case .none: return []
        case .migration, .optionalMigration: return state.snapshot?.migrations.map(\.id) ?? []
        case .environment: return state.environments.map(\.name)
        case .theme: return state.themes
        case .runKind: return ["all"] + RunKind.allCases.map(\.rawValue)
        case .optionalProjection: return state.snapshot?.projections.map(\.name) ?? []
        case .optionalRun: return state.snapshot?.runs.prefix(20).map { String($0.id) } ?? []
        }
    }

    /// Completes the last word of `text`: to the only candidate, or to their common prefix with the candidates named.
    static func complete(_ text: String, _ state: ConsoleState) -> (String, String?) {
        let parts = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let candidates: [String]
        let word: String
        let head: String
        if parts.count < 2 {
            word = parts.first ?? ""
            head = ""
            candidates = Keymap.lineCommands.map(\.name).filter { $0.hasPrefix(word) }
        } else {
            guard let command = Keymap.lineCommand(named: parts[0]) else { return (text, "no command :\(parts[0])") }
            word = parts[1]
            head = parts[0] + " "
            candidates = words(for: command.argument, state).filter { $0.hasPrefix(word) }
        }
        guard !candidates.isEmpty else { return (text, "nothing starts with \"\(word)\"") }
        if candidates.count == 1 { return (head + candidates[0] + (parts.count < 2 ? " " : ""), nil) }
        var prefix = candidates[0]
        for candidate in candidates.dropFirst() {
            while !candidate.hasPrefix(prefix) { prefix.removeLast() }
        }
        let shown = candidates.prefix(6).joined(separator: "  ") + (candidates.count > 6 ? "  … \(candidates.count) in all" : "")
        return (head + prefix, shown)
    }

    /// Runs a command line; a bad one says what is wrong and what there is.
    static func run(_ text: String, _ state: inout ConsoleState) -> [Effect] {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1).map(String.init)
        guard let name = parts.first else { return [] }
        guard let command = Keymap.lineCommand(named: name) else {
            state.notice = .init(text: ":\(name) is not a command; tab completes, ? lists them: "
                + Keymap.lineCommands.map(\.name).joined(separator: " "), isError: true)
            return []
        }
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : nil
        let needs = command.argument == .migration || command.argument == .environment || command.argument == .theme
        if needs, argument == nil {
            state.notice = .init(text: ":\(name) needs an argument: \(command.summary)", isError: true)
            return []
        }
        if command.argument == .none, let argument {
            state.notice = .init(text: ":\(name) takes no argument (got \"\(argument)\")", isError: true)
            return []
        }
        if let argument, command.argument != .none {
            let known = words(for: command.argument, state)
            if command.argument != .optionalRun, !known.contains(argument) {
                state.notice = .init(text: "\(argument) is not a \(noun(command.argument)) here; tab completes from "
                    + known.prefix(5).joined(separator: ", ") + (known.count > 5 ? ", …" : ""), isError: true)
                return []
            }
        }
        switch command.name {
        case "env":
            guard let environment = state.environments.first(where: { $0.name == argument }) else { return [] }
            return environment.current ? [] : [.switchEnvironment(environment.name)]
        case "theme":
            state.notice = .init(text: "theme \(argument!)", isError: false)
            return [.setTheme(argument!)]
        case "runs":
            state.view = .runs
            state.focus = .list
            state.runKinds = argument == nil || argument == "all" ? nil : [argument!]
            state.selection[.runs] = 0
            state.listTop[.runs] = 0
            return Reducer.runSelectionEffects(state)
        case "log":
            guard let argument else { return Reducer.showLog(runId: nil, &state) }
            guard let id = Int64(argument), id > 0 else {
                state.notice = .init(text: ":log takes a run number, such as :log 3 (got \"\(argument)\")", isError: true)
                return []
            }
            return Reducer.showLog(runId: id, &state)
        case "rebuild":
            if let argument, let index = state.visibleProjections.firstIndex(where: { $0.name == argument }) {
                state.view = .projections
                state.selection[.projections] = index
            } else if argument == nil {
                state.view = .migrations
            }
            return Reducer.perform(.rebuild, &state)
        default:
            if let argument, command.argument == .migration || command.argument == .optionalMigration {
                state.view = .migrations
                state.filters[.migrations] = nil
                if let index = state.visibleMigrations.firstIndex(where: { $0.id == argument }) {
                    state.selection[.migrations] = index
                    Reducer.clamp(&state)
                }
            }
            guard let console = command.command else { return [] }
            return Reducer.perform(console, &state)
        }
    }

    static func noun(_ kind: Keymap.ArgumentKind) -> String {
        switch kind {
        case .migration, .optionalMigration: return "migration"
        case .environment: return "environment of cairn.toml"
        case .theme: return "theme"
        case .runKind: return "run kind"
        case .optionalProjection: return "projection"
        case .optionalRun, .none: return "run"
        }
    }
}
