/// Application code that turns one command into events, registered under a qualified name.
///
/// A handler validates its payload (throwing `HandlerRejection` naming the field),
/// loads the streams it needs through the context and appends events. Handlers
/// are the only way a migration changes data.
public protocol CommandHandler: Sendable {
    /// The name the handler is registered under.
    var name: QualifiedName { get }
    /// The roles that may call the handler.
    var access: AccessRule { get }
    /// Handles one command inside the caller's transaction.
    func handle(_ payload: Payload, in context: HandlerContext) throws
}

/// A command handler made of a closure, for handlers that fit in a few lines.
public struct ClosureHandler: CommandHandler {
    public let name: QualifiedName
    public let access: AccessRule
    private let body: @Sendable (Payload, HandlerContext) throws -> Void

    /// Creates a handler from its name, access rule and body.
    public init(
        _ name: QualifiedName, access: AccessRule,
        _ body: @escaping @Sendable (Payload, HandlerContext) throws -> Void
    ) {
        self.name = name
        self.access = access
        self.body = body
    }

    public func handle(_ payload: Payload, in context: HandlerContext) throws {
        try body(payload, context)
    }
}
