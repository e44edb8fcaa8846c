/// The error a command handler throws when it refuses a command.
///
/// It names the payload field at fault when there is one, so a failed migration
/// row can say exactly what to change.
public struct HandlerRejection: ExplainedError, Sendable, Hashable {
    /// The payload field at fault, or nil for a rule about the whole command.
    public let field: String?
    /// Why the command was refused.
    public let reason: String

    /// Creates a rejection, optionally naming the field at fault.
    public init(field: String? = nil, reason: String) {
        self.field = field
        self.reason = reason
    }

    /// A rejection for a required field that is absent.
    public static func missing(_ field: String) -> HandlerRejection {
        HandlerRejection(field: field, reason: "is required")
    }

    public var description: String { summary }

    public var summary: String {
        if let field { return "payload field '\(field)' \(reason)" }
        return reason
    }

    public var remedy: String? {
        field.map { "fix the command's '\($0)' field" } ?? "change the command so the handler's rule holds"
    }

    public var exitCode: Int32 { CairnExit.failed }
}
