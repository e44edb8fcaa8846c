import CairnText
import Foundation

/// Where the command line writes: standard output for results, standard error
/// for errors and progress; colour only on a terminal and never under `NO_COLOR`.
enum Output {
    /// True when standard output is a terminal.
    static let stdoutIsTerminal = isatty(1) != 0
    /// True when standard error is a terminal.
    static let stderrIsTerminal = isatty(2) != 0
    /// True when colour may be used on standard output.
    static let colour: Bool = {
        let environment = ProcessInfo.processInfo.environment
        return stdoutIsTerminal && environment["NO_COLOR"].map(\.isEmpty) != false && environment["TERM"] != "dumb"
    }()

    private static let lock = NSLock()
    nonisolated(unsafe) private static var transient = false

    /// Writes a line to standard output, clearing a progress line first.
    static func standard(_ text: String) {
        write(text + "\n", to: 1)
    }

    /// Writes `error: summary` (and the remedy) to standard error.
    static func error(_ summary: String, remedy: String? = nil) {
        var text = paint("error:", .red, stream: 2) + " " + summary + "\n"
        if let remedy { text += paint("hint:", .dim, stream: 2) + " " + remedy + "\n" }
        write(text, to: 2)
    }

    /// Writes a line to standard error as it is.
    static func diagnostic(_ text: String) {
        write(text + "\n", to: 2)
    }

    /// Writes a question to standard error with no line break, for the answer typed after it.
    static func prompt(_ text: String) {
        write(text, to: 2)
    }

    /// Writes `warning: text` to standard error.
    static func warning(_ text: String) {
        write(paint("warning:", .yellow, stream: 2) + " " + text + "\n", to: 2)
    }

    /// Shows a one-line progress report on standard error when it is a terminal.
    static func progress(_ text: String) {
        guard stderrIsTerminal else { return }
        lock.withLock {
            emit(("\r\u{1B}[2K" + TerminalSafe.inert(text)), to: 2)
            transient = true
        }
    }

    /// The one way text reaches the terminal: made inert, colour markers rendered.
    private static func write(_ text: String, to descriptor: Int32) {
        let safe = TerminalSafe.forTerminal(text, colours: descriptor == 1 ? colour : stderrColour)
        lock.withLock {
            if transient {
                emit("\r\u{1B}[2K", to: 2)
                transient = false
            }
            emit(safe, to: descriptor)
        }
    }

    /// Writes `text` to `descriptor`, dropping it when the stream cannot take it (a full
    /// disk, a closed pipe): what a run writes to its terminal must never stop the run,
    /// whose log in the store keeps every line anyway.
    private static func emit(_ text: String, to descriptor: Int32) {
        try? FileHandle(fileDescriptor: descriptor, closeOnDealloc: false).write(contentsOf: Data(text.utf8))
    }

    /// True when colour may be used on standard error.
    static let stderrColour = stderrIsTerminal && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) != false

    /// A colour for `paint`.
    enum Colour: String {
        case red = "31", green = "32", yellow = "33", blue = "34", magenta = "35", cyan = "36", dim = "2", bold = "1"
    }

    /// `text` in `colour`; the markers become escape sequences only on a colour terminal.
    static func paint(_ text: String, _ colour: Colour, stream: Int32 = 1) -> String {
        "\(TerminalSafe.marker(sgr: Int(colour.rawValue)!))\(text)\(TerminalSafe.marker(sgr: 0))"
    }

    /// Store data made inert and on one line (see `TerminalSafe`); every write is made inert
    /// again, so this only matters where a line break in data would break a table.
    static func safe(_ text: String) -> String {
        TerminalSafe.inert(text)
    }
}
