import CairnText
import Foundation
import Logging

/// Prints the runner's log lines on the command line, made inert for the terminal.
struct CLILogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    /// Print to standard error (when standard output carries JSON).
    var toStandardError = false

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let text = TerminalSafe.inert("\(event.message)", keepNewlines: true)
        if toStandardError {
            Output.diagnostic(text)
            return
        }
        switch event.level {
        case .error, .critical:
            Output.standard(Output.paint(text, .red))
        case .warning:
            Output.standard(Output.paint(text, .yellow))
        default:
            Output.standard(text.hasPrefix("✓") ? Output.paint("✓", .green) + text.dropFirst() : text)
        }
    }

    /// A logger printing through this handler, from `minimum` up.
    static func logger(minimum: Logger.Level = .info, toStandardError: Bool = false) -> Logger {
        var logger = Logger(label: "cairn") { _ in CLILogHandler(toStandardError: toStandardError) }
        logger.logLevel = minimum
        return logger
    }
}

