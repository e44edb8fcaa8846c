/// A request to a command handler: which handler, what payload, as whom.
public struct Command: Sendable, Hashable {
    /// The handler to call.
    public let handler: QualifiedName
    /// The payload.
    public let payload: Payload
    /// Who issues the command.
    public let actor: Actor
    /// The tenant whose stream holds the target aggregate, when it differs from the payload's tenant.
    public let streamTenant: String?

    /// Creates a command.
    public init(_ handler: QualifiedName, payload: Payload, actor: Actor, streamTenant: String? = nil) {
        self.handler = handler
        self.payload = payload
        self.actor = actor
        self.streamTenant = streamTenant
    }
}
