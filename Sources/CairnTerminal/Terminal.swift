import CairnStore
import CairnConsole
import CairnText
import CCurses
import Foundation

/// The thin ncurses layer: opens the terminal, reads keys, draws screens of cells
/// with the theme's colours, and restores the terminal when closed.
///
/// All curses calls happen on the thread that opened it.
public final class Terminal {
    private var screenPointer: OpaquePointer?
    private var window: UnsafeMutablePointer<WINDOW>
    private var previous: Screen?
    private var styles: [StyleRole: (attributes: attr_t, pair: Int16)] = [:]
    private var fastErrors = 0
    /// The theme as this terminal shows it (adapted to its colours).
    public private(set) var theme: Theme
    /// The colours the terminal shows.
    public let depth: ColorDepth
    private var closed = false

    /// Opens the terminal on standard input and output.
    ///
    /// - Throws: `TerminalError` when the terminal cannot be opened (unknown `TERM`, not a terminal).
    public init(theme: Theme, noColor: Bool) throws {
        setlocale(LC_ALL, "")
        guard isatty(0) != 0, isatty(1) != 0 else {
            throw TerminalError(message: "the console needs a terminal on standard input and output; use the subcommands (\(ToolName.current) status, \(ToolName.current) up) in scripts")
        }
        guard let screen = cc_open_terminal() else {
            throw TerminalError(message: "cannot open the terminal: TERM=\(ProcessInfo.processInfo.environment["TERM"] ?? "(unset)") is unknown to ncurses")
        }
        screenPointer = screen
        window = cc_stdscr()!
        raw()
        noecho()
        keypad(window, true)
        set_escdelay(25)
        curs_set(0)
        nonl()
        var depth = ColorDepth.none
        if !noColor && has_colors() {
            start_color()
            use_default_colors()
            depth = ColorDepth(colors: Int(cc_colors()), noColor: false)
        }
        self.depth = depth
        self.theme = theme.adapted(to: depth)
        setUpStyles()
        if ProcessInfo.processInfo.environment["CAIRN_NO_MOUSE"] == nil { cc_enable_mouse() }
    }

    /// Switches to `theme` and redraws everything in it.
    public func use(_ theme: Theme) {
        self.theme = theme.adapted(to: depth)
        setUpStyles()
        invalidate()
    }

    /// Puts `text` on the terminal's clipboard with OSC 52 (tmux passes it on with
    /// `set-clipboard on`). The text is made inert first: control characters and escape
    /// sequences in a payload become visible text, so pasting it can never run them.
    public func copy(_ text: String) {
        let safe = TerminalSafe.inert(text, keepNewlines: true)
        let sequence = "\u{1B}]52;c;\(Data(safe.utf8).base64EncodedString())\u{07}"
        // Straight to the terminal's file descriptor, after ncurses has flushed its own output.
        var bytes = Array(sequence.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress! + written, $0.count - written) }
            if result <= 0 { break }
            written += result
        }
    }

    deinit {
        close()
    }

    /// Gives the terminal back: leaves curses mode and restores the screen.
    public func close() {
        guard !closed else { return }
        closed = true
        endwin()
        if let screenPointer { delscreen(screenPointer) }
        screenPointer = nil
    }

    /// The terminal's size in cells.
    public var size: (width: Int, height: Int) {
        (Int(getmaxx(window)), Int(getmaxy(window)))
    }

    /// Waits up to `timeout` milliseconds for a key; nil when none came.
    public func readKey(timeout: Int32) -> Key? {
        wtimeout(window, timeout)
        var value: wint_t = 0
        let started = Date()
        let result = wget_wch(window, &value)
        if result == ERR {
            // A terminal that went away answers ERR at once, forever.
            fastErrors = Date().timeIntervalSince(started) * 1000 < Double(timeout) / 4 ? fastErrors + 1 : 0
            return nil
        }
        fastErrors = 0
        if result == cc_key_code_yes() {
            if Int32(value) == cc_key_mouse() {
                var x: Int32 = 0, y: Int32 = 0
                switch cc_read_mouse(&x, &y) {
                case 1: return .mouse(MouseEvent(x: Int(x), y: Int(y), kind: .click))
                case 2: return .mouse(MouseEvent(x: Int(x), y: Int(y), kind: .wheelUp))
                case 3: return .mouse(MouseEvent(x: Int(x), y: Int(y), kind: .wheelDown))
                default: return nil
                }
            }
            return Terminal.special(Int32(value))
        }
        return Terminal.character(UInt32(value))
    }

    /// Checks the terminal's size with the kernel and, when it changed without ncurses
    /// noticing (no SIGWINCH reached it), resizes curses; returns true when it changed.
    public func pollResize() -> Bool {
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else { return false }
        let current = self.size
        guard Int(size.ws_col) != current.width || Int(size.ws_row) != current.height else { return false }
        resizeterm(Int32(size.ws_row), Int32(size.ws_col))
        invalidate()
        return true
    }

    /// True when reads keep failing at once: the terminal is gone.
    public var isGone: Bool { fastErrors > 50 }

    /// Draws the cells that changed since the last screen, then updates the terminal.
    public func draw(_ screen: Screen) {
        if previous?.width != screen.width || previous?.height != screen.height {
            werase(window)
            previous = nil
        }
        for y in 0..<screen.height {
            for x in 0..<screen.width {
                let cell = screen[x, y]
                guard cell.width > 0 else { continue }
                if let previous, previous[x, y] == cell { continue }
                let style = styles[cell.role] ?? (cc_a_normal(), 0)
                var text = cell.character.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
                text.append(0)
                _ = cc_draw(window, Int32(y), Int32(x), text, Int32(text.count - 1), style.attributes, style.pair)
            }
        }
        wnoutrefresh(window)
        doupdate()
        previous = screen
    }

    /// Forgets what is on screen, so the next draw redraws everything.
    public func invalidate() {
        previous = nil
        clearok(window, true)
    }

    private func setUpStyles() {
        var pairs: [String: Int16] = [:]
        var next: Int16 = 1
        let maxPairs = Int16(clamping: depth == .none ? 0 : Int(cc_color_pairs()) - 1)
        for role in StyleRole.allCases {
            let spec = theme.spec(role)
            var attributes = cc_a_normal()
            if spec.bold { attributes |= cc_a_bold() }
            if spec.reverse { attributes |= cc_a_reverse() }
            if spec.underline { attributes |= cc_a_underline() }
            if spec.dim { attributes |= cc_a_dim() }
            var pair: Int16 = 0
            if depth != .none, spec.foreground != nil || spec.background != nil {
                let key = "\(spec.foreground ?? -1)/\(spec.background ?? -1)"
                if let existing = pairs[key] {
                    pair = existing
                } else if next <= maxPairs {
                    init_pair(next, Int16(spec.foreground ?? -1), Int16(spec.background ?? -1))
                    pairs[key] = next
                    pair = next
                    next += 1
                }
            }
            styles[role] = (attributes, pair)
        }
    }

    /// A key for a special key code.
    static func special(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_NPAGE: return .pageDown
        case KEY_PPAGE: return .pageUp
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        case KEY_RESIZE: return .resize
        case KEY_F0...(KEY_F0 + 63): return .function(Int(code - KEY_F0))
        default: return nil
        }
    }

    /// A key for a character code.
    static func character(_ code: UInt32) -> Key? {
        switch code {
        case 10, 13: return .enter
        case 27: return .escape
        case 9: return .tab
        case 8, 127: return .backspace
        case 1...26: return .control(Character(UnicodeScalar(code + 96)!))
        case 0..<32: return nil
        default:
            guard let scalar = UnicodeScalar(code) else { return nil }
            return .character(Character(scalar))
        }
    }
}

/// The terminal cannot be used.
public struct TerminalError: ExplainedError {
    public let message: String
    public var description: String { message }
    public var summary: String { message }
    public var remedy: String? { "run it in a terminal (TERM set, at least 40×10), or use the commands: `\(ToolName.current) status`, `\(ToolName.current) up`" }
    public var exitCode: Int32 { CairnExit.usage }
}
