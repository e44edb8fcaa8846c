import CairnStore

/// The demo domain's stream types, event types, roles and the fixed tenant of user streams.
public enum DemoStreams {
    /// Stream type of tenants.
    public static let tenant = "tenant"
    /// Stream type of users.
    public static let user = "user"
    /// Stream type of tenant memberships.
    public static let membership = "tenant-membership"
    /// Stream type of incidents.
    public static let incident = "incident"

    /// Users are platform-wide; their streams live in this tenant.
    public static let platformTenant = "platform"

    /// The roles every demo handler accepts.
    public static let access = AccessRule.roles(.admin, .system)

    /// The severities an incident may have.
    public static let severities: Set<String> = ["low", "medium", "high", "critical"]
}

/// The demo domain's event types.
public enum DemoEvents {
    public static let tenantCreated = "tenant.created"
    public static let userRegistered = "user.registered"
    public static let membershipAdded = "tenant-membership.added"
    public static let membershipUpdated = "tenant-membership.updated"
    public static let membershipRemoved = "tenant-membership.removed"
    public static let incidentOpened = "incident.opened"
    public static let incidentResolved = "incident.resolved"
}
