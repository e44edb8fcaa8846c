import CairnText
/// The events an applied migration wrote, as far as they are loaded: a page at a time,
/// with the total, so the detail says "200 of 71,117" instead of stopping silently.
public struct EventsPage: Sendable, Equatable {
    /// How many the console loads at a time.
    public static let pageSize = 200

    public var events: [PreviewModel.Event] { didSet { lines = EventsPage.lines(self) } }
    /// The position of the last event loaded, where the next page starts.
    public var lastPosition: Int64
    public var total: Int { didSet { lines = EventsPage.lines(self) } }
    /// A next page is being loaded.
    public var loading = false { didSet { lines = EventsPage.lines(self) } }
    /// The detail rows, built when the page changes (not at every frame).
    public private(set) var lines: [DetailLine] = []

    public init(events: [PreviewModel.Event], lastPosition: Int64, total: Int) {
        self.events = events
        self.lastPosition = lastPosition
        self.total = total
        lines = EventsPage.lines(self)
    }

    /// True when more events were written than are loaded.
    public var hasMore: Bool { events.count < total }

    /// The detail rows: a heading with the count, each event (enter opens its payload), and the row that loads more.
    static func lines(_ page: EventsPage) -> [DetailLine] {
        let events = page.events, total = page.total, loading = page.loading
        var hasMore: Bool { events.count < total }
        var lines: [DetailLine] = [.heading("events written · \(events.count.grouped) of \(total.grouped)")]
        if events.isEmpty { lines.append(DetailLine("none", .dim)) }
        for event in events {
            lines.append(DetailLine(
                "+ \(event.type)  \(event.streamId) v\(event.version) (tenant \(event.tenant))", .normal, whole: event.whole))
        }
        if hasMore {
            lines.append(DetailLine(
                loading ? "loading more…" : "… \(events.count.grouped) of \(total.grouped) shown · enter loads \(EventsPage.pageSize) more",
                .dim, loadsMore: true))
        }
        return lines
    }
}
