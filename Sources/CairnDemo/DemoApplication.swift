import CairnRunner
import CairnStore

/// The demo application: tenants, users, tenant memberships and incidents,
/// with their handlers, projections and demo data builder.
public enum DemoApplication {
    /// The demo's command handlers; all accept `admin` and `system`.
    public static let handlers: [any CommandHandler] = [
        CreateTenant(), RegisterUser(), AddMember(), UpdateMemberRoles(), RemoveMember(),
        OpenIncident(), ResolveIncident(),
    ]

    /// The demo's projections, one per read table.
    public static let projections: [any Projection] = [
        TenantsProjection(), UsersProjection(), MembershipsProjection(), IncidentsProjection(),
    ]

    /// The handlers, projections and upcasters as a store domain.
    public static let domain = Domain(handlers: handlers, projections: projections, upcasters: DemoUpcasters.all)

    /// The application as the `cairn` executable runs it.
    public static let application = CairnApplication(
        name: "demo", handlers: handlers, projections: projections, upcasters: DemoUpcasters.all, demo: DemoGenerator())
}
