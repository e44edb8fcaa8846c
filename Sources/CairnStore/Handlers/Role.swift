/// A role a caller acts as; handlers' access rules name the roles they accept.
public struct Role: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The role's name.
    public let name: String

    /// Creates a role with the given name.
    public init(_ name: String) { self.name = name }
    public init(stringLiteral value: String) { self.name = value }

    /// The role migrations write as.
    public static let system: Role = "system"
    /// The conventional role of an application administrator.
    public static let admin: Role = "admin"

    public var description: String { name }
}

/// Which roles may call a command handler.
public struct AccessRule: Sendable, Hashable, CustomStringConvertible {
    /// The roles allowed to call the handler.
    public let roles: Set<Role>

    /// Allows exactly the given roles.
    public init(allowing roles: Set<Role>) { self.roles = roles }

    /// Allows exactly the given roles.
    public static func roles(_ roles: Role...) -> AccessRule { AccessRule(allowing: Set(roles)) }

    /// True when `role` may call the handler.
    public func allows(_ role: Role) -> Bool { roles.contains(role) }

    public var description: String { roles.map(\.name).sorted().joined(separator: ", ") }
}

/// Who issues a command: a role and, for people, an id.
public struct Actor: Sendable, Hashable {
    /// The role the command is issued as.
    public let role: Role
    /// The caller's id, when there is one.
    public let id: String?

    /// Creates an actor.
    public init(role: Role, id: String? = nil) {
        self.role = role
        self.id = id
    }

    /// The actor migrations write as.
    public static let system = Actor(role: .system)
}
