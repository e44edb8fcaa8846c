import CairnStore

/// Validation of the `roles` field shared by the membership handlers.
enum DemoRoles {
    /// The roles a membership may hold.
    static let known: Set<String> = ["Admin", "TenantAdmin", "Member", "Responder", "Viewer"]

    /// The payload's `roles`: a non-empty list of known roles without repeats.
    static func validate(_ payload: Payload) throws -> [String] {
        let roles = try payload.strings("roles")
        guard !roles.isEmpty else { throw HandlerRejection(field: "roles", reason: "must hold at least one role") }
        // A handful of roles: a repeat is found by looking back, without building a set per command.
        for (index, role) in roles.enumerated() {
            guard known.contains(role) else {
                throw HandlerRejection(
                    field: "roles", reason: "holds unknown role '\(role)' (known: \(known.sorted().joined(separator: ", ")))")
            }
            guard !roles[..<index].contains(role) else {
                throw HandlerRejection(field: "roles", reason: "holds '\(role)' twice")
            }
        }
        return roles
    }
}
