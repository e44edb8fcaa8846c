/// The application code the store runs: command handlers, projections and upcasters.
public struct Domain: Sendable {
    /// The command handlers, by qualified name.
    public let handlers: HandlerRegistry
    /// The inline projections, applied in this order.
    public let projections: [any Projection]
    /// The upcasters that lift old event payloads to the newest shape on read.
    public let upcasters: UpcasterRegistry

    /// Creates a domain from handlers, projections and upcasters.
    public init(handlers: [any CommandHandler], projections: [any Projection], upcasters: [Upcaster] = []) {
        self.handlers = HandlerRegistry(handlers)
        self.projections = projections
        self.upcasters = UpcasterRegistry(upcasters)
        var seen = Set<String>()
        for projection in projections {
            precondition(seen.insert(projection.name).inserted, "two projections are named \(projection.name)")
        }
    }

    /// A domain with no handlers and no projections.
    public static let empty = Domain(handlers: [], projections: [])
}
