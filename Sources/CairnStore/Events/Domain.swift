/// The application code the store runs: command handlers and projections.
public struct Domain: Sendable {
    /// The command handlers, by qualified name.
    public let handlers: HandlerRegistry
    /// The inline projections, applied in this order.
    public let projections: [any Projection]

    /// Creates a domain from handlers and projections.
    public init(handlers: [any CommandHandler], projections: [any Projection]) {
        self.handlers = HandlerRegistry(handlers)
        self.projections = projections
        var seen = Set<String>()
        for projection in projections {
            precondition(seen.insert(projection.name).inserted, "two projections are named \(projection.name)")
        }
    }

    /// A domain with no handlers and no projections.
    public static let empty = Domain(handlers: [], projections: [])
}
