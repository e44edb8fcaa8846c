import CairnStore

/// `library:write:register-member`: a new member, by id, name and e-mail.
public struct RegisterMember: CommandHandler {
    public let name = QualifiedName(validated: "library:write:register-member")
    public let access = AccessRule.roles(LibraryApplication.librarian, .system)

    public init() {}

    public func handle(_ payload: Payload, in context: HandlerContext) throws {
        let member = try payload.decode(LibraryEvents.MemberRegistered.self)
        guard member.email.contains("@") else {
            throw HandlerRejection(field: "email", reason: "is not an e-mail address: \(member.email)")
        }
        let stream = try context.load("member-\(member.memberId)")
        guard stream.isEmpty else {
            throw HandlerRejection(field: "memberId", reason: "\(member.memberId) is already registered")
        }
        try context.append([try NewEvent(type: "member.registered", encoding: member)], to: stream, streamType: "member")
    }
}
