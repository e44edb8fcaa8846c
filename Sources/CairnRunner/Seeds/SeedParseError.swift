import CairnStore

/// A problem in a seed file, with the file and line it is on.
public struct SeedParseError: ExplainedError, Sendable, Hashable {
    /// The file's path.
    public let path: String
    /// The line, from 1; 0 for the file as a whole.
    public let line: Int
    /// What is wrong.
    public let message: String
    /// What to do, when it is not obvious.
    public let hint: String?

    /// Creates a parse error.
    public init(path: String, line: Int, message: String, hint: String? = nil) {
        self.path = path
        self.line = line
        self.message = message
        self.hint = hint
    }

    public var summary: String { line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)" }
    public var remedy: String? { hint }

    public var exitCode: Int32 { CairnExit.usage }
}
