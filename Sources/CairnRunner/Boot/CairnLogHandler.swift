import Foundation
import Logging

/// A swift-log handler that prints `[cairn] message` lines, the shape of Cairn's boot log.
///
/// Warnings and errors keep the same shape; the message itself says what happened
/// (`✗ ...`). Lines go to standard output unless `standardError` is set.
public struct CairnLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let prefix: String
    private let standardError: Bool

    /// Creates a handler printing `prefix` before each message.
    public init(prefix: String = "[cairn] ", standardError: Bool = false) {
        self.prefix = prefix
        self.standardError = standardError
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let line = "\(prefix)\(event.message)\n"
        // A full disk or a closed pipe under the output must not stop the boot: the run's log in the store keeps the line.
        try? FileHandle(fileDescriptor: standardError ? 2 : 1, closeOnDealloc: false).write(contentsOf: Data(line.utf8))
    }
}

extension Logger {
    /// The logger the boot uses unless the application passes its own: `[cairn] ...` lines on standard output.
    public static var cairnBoot: Logger {
        Logger(label: "cairn") { _ in CairnLogHandler() }
    }
}

extension Logger {
    /// A logger that prints nothing, for tests and for applications that log elsewhere: the
    /// run's log lines are still recorded in the store, for `cairn log` and the console.
    public static var cairnQuiet: Logger {
        Logger(label: "cairn") { _ in SwiftLogNoOpLogHandler() }
    }
}
