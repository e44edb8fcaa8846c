import CairnStore

/// `user:write:register` {userId, email, name}: registers a platform user.
public struct RegisterUser: CommandHandler {
    public let name = QualifiedName(validated: "user:write:register")
    public let access = DemoStreams.access

    public init() {}

    public func handle(_ payload: Payload, in context: HandlerContext) throws {
        let userId = try payload.string("userId")
        let email = try payload.string("email").lowercased()
        let name = try payload.string("name")
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains(".") else {
            throw HandlerRejection(field: "email", reason: "'\(email)' is not an email address")
        }
        if let owner = try context.scalar("SELECT id FROM users WHERE email = ?", [email])?.string {
            throw HandlerRejection(field: "email", reason: "\(email) is already registered as user \(owner)")
        }
        let stream = try context.load(userId, tenant: context.streamTenant(default: DemoStreams.platformTenant))
        guard stream.isEmpty else {
            throw HandlerRejection(field: "userId", reason: "user \(userId) already exists")
        }
        try context.append(
            [NewEvent(type: DemoEvents.userRegistered, payload: ["userId": .string(userId), "email": .string(email), "name": .string(name)])],
            to: stream, streamType: DemoStreams.user)
    }
}
