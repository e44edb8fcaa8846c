/// The command handlers of an application, by qualified name.
public struct HandlerRegistry: Sendable {
    private let handlers: [QualifiedName: any CommandHandler]

    /// Registers handlers; two handlers with one name is a programming error and traps.
    public init(_ handlers: [any CommandHandler]) {
        var byName: [QualifiedName: any CommandHandler] = [:]
        for handler in handlers {
            precondition(byName[handler.name] == nil, "two command handlers are registered as \(handler.name)")
            byName[handler.name] = handler
        }
        self.handlers = byName
    }

    /// The handler registered under `name`, if any.
    public func handler(named name: QualifiedName) -> (any CommandHandler)? {
        handlers[name]
    }

    /// Every registered name, sorted.
    public var names: [QualifiedName] { handlers.keys.sorted() }

    /// The registered name closest to `text`, when one is close enough to be a likely typo.
    public func suggestion(for text: String) -> QualifiedName? {
        let scored = handlers.keys.map { ($0, text.editDistance(to: $0.description)) }
        guard let best = scored.min(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }) else { return nil }
        return best.1 <= max(3, text.count / 4) ? best.0 : nil
    }
}
