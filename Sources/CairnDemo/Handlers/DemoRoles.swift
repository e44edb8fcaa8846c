import CairnStore

/// Validation of the `roles` field shared by the membership handlers.
enum DemoRoles {
    /// The roles a membership may hold.
    static let known: Set<String> = ["Admin", "TenantAdmin", "Member", "Responder", "Viewer"]

    /// The payload's `roles`: a non-empty list of known roles without repeats.
    static func validate(_ payload: Payload) throws -> [String] {
        let roles = try payload.strings("roles")
        guard !roles.isEmpty else { throw HandlerRejection(field: "roles", reason: "must hold at least one role") }
        var seen = Set<String>()
        for role in roles {
            guard known.contains(role) else {
                throw HandlerRejection(
                    field: "roles", reason: "holds unknown role '\(role)' (known: \(known.sorted().joined(separator: ", ")))")
            }
            guard seen.insert(role).inserted else {
                throw HandlerRejection(field: "roles", reason: "holds '\(role)' twice")
            }
        }
        return roles
    }
}
