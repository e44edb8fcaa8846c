import CairnStore

/// Everything Cairn needs from an application: its handlers, projections and upcasters,
/// the migrations it writes in Swift, and optionally a demo data builder.
///
/// The `cairn` executable and an application's boot both start from one of these.
public struct CairnApplication: Sendable {
    /// The application's name, shown in the console's title and in run records.
    public var name: String
    /// The handlers and projections.
    public var domain: Domain
    /// Migrations written in Swift; they sit beside the `seeds/` files and sort with them by id.
    public var migrations: [any SwiftMigration]
    /// Builds a demo environment for `cairn demo`, when the application has one; without
    /// one, the command line has no `demo` command.
    public var demo: (any DemoBuilder)?
    /// The name of the application's own Cairn command line (`library-cairn`), which
    /// messages tell operators to run (``run `library-cairn log 3` ``).
    ///
    /// Nil: the command line uses the name it was started under, and a boot says `cairn`.
    public var commandName: String?

    /// Creates an application description.
    public init(
        name: String, handlers: [any CommandHandler], projections: [any Projection], upcasters: [Upcaster] = [],
        migrations: [any SwiftMigration] = [], demo: (any DemoBuilder)? = nil, commandName: String? = nil
    ) {
        self.name = name
        self.commandName = commandName
        self.domain = Domain(handlers: handlers, projections: projections, upcasters: upcasters)
        self.migrations = migrations
        self.demo = demo
    }
}

/// The size of a demo environment.
public enum DemoSize: String, Sendable, CaseIterable {
    case small, medium, large
}

/// Builds a realistic demo environment into an empty store, through the application's handlers.
public protocol DemoBuilder: Sendable {
    /// Fills `store`, reporting progress lines, and returns a one-paragraph summary.
    func build(into store: any EventStoring, size: DemoSize, progress: (String) -> Void) throws -> String
}
