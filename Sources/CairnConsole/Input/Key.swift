/// A key press, as the terminal layer reports it.
public enum Key: Sendable, Hashable, CustomStringConvertible {
    case character(Character)
    case control(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    case function(Int)
    /// The terminal was resized (ncurses reports it as a key).
    case resize
    /// A click or a turn of the wheel, at a cell.
    case mouse(MouseEvent)

    /// How the key is written in the help overlay and the hint bar.
    public var description: String {
        switch self {
        case .character(" "): return "space"
        case .character(let character): return String(character)
        case .control(let character): return "ctrl-\(character)"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "pgup"
        case .pageDown: return "pgdn"
        case .home: return "home"
        case .end: return "end"
        case .enter: return "enter"
        case .escape: return "esc"
        case .tab: return "tab"
        case .backTab: return "shift-tab"
        case .backspace: return "backspace"
        case .delete: return "del"
        case .function(let number): return "F\(number)"
        case .resize: return "resize"
        case .mouse(let event): return event.kind == .click ? "click" : "wheel"
        }
    }
}
