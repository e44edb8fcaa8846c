/// The events an applied migration wrote, as far as they are loaded: a page at a time,
/// with the total, so the detail says "200 of 71,117" instead of stopping silently.
public struct EventsPage: Sendable, Equatable {
    /// How many the console loads at a time.
    public static let pageSize = 200

    public var events: [PreviewModel.Event]
    /// The position of the last event loaded, where the next page starts.
    public var lastPosition: Int64
    public var total: Int
    /// A next page is being loaded.
    public var loading = false

    public init(events: [PreviewModel.Event], lastPosition: Int64, total: Int) {
        self.events = events
        self.lastPosition = lastPosition
        self.total = total
    }

    /// True when more events were written than are loaded.
    public var hasMore: Bool { events.count < total }

    /// The detail rows: a heading with the count, each event (enter opens its payload), and the row that loads more.
    public var lines: [DetailLine] {
        var lines: [DetailLine] = [.heading("events written · \(PreviewModel.grouped(events.count)) of \(PreviewModel.grouped(total))")]
        if events.isEmpty { lines.append(DetailLine("none", .dim)) }
        for event in events {
            lines.append(DetailLine(
                "+ \(event.type)  \(event.streamId) v\(event.version) (tenant \(event.tenant))", .normal,
                whole: DetailLine.Whole(
                    title: "event \(event.type) · \(event.streamId) v\(event.version)",
                    text: "type: \(event.type)\nstream: \(event.streamType) \(event.streamId) v\(event.version)\ntenant: \(event.tenant)\n"
                        + "payload:\n\(PreviewModel.pretty(event.payload))")))
        }
        if hasMore {
            lines.append(DetailLine(
                loading ? "loading more…" : "… \(PreviewModel.grouped(events.count)) of \(PreviewModel.grouped(total)) shown · enter loads \(EventsPage.pageSize) more",
                .dim, loadsMore: true))
        }
        return lines
    }
}
