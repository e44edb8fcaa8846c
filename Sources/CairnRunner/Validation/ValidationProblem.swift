/// One problem found by validation, with the migration and place it is in.
public struct ValidationProblem: Sendable, Hashable, CustomStringConvertible {
    /// The migration, when the problem belongs to one.
    public let migrationId: String?
    /// Where: "seeds/x.sql:12" or "block 2 (tenant:write:x)".
    public let location: String?
    /// What is wrong.
    public let message: String
    /// What to do, when it is not obvious.
    public let hint: String?

    /// Creates a problem report.
    public init(migrationId: String?, location: String?, message: String, hint: String? = nil) {
        self.migrationId = migrationId
        self.location = location
        self.message = message
        self.hint = hint
    }

    public var description: String {
        var text = ""
        if let location { text += "\(location): " } else if let migrationId { text += "\(migrationId): " }
        text += message
        if let hint { text += " (\(hint))" }
        return text
    }
}
