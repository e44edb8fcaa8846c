import CairnStore
import CairnText
import Foundation

/// A dry-run's result for one migration, as the console shows it: at least what
/// `cairn dry-run` prints, as detail rows with counts per section, each event, row
/// change and rejection openable whole.
public struct PreviewModel: Sendable, Equatable {
    /// An event that would be appended.
    public struct Event: Sendable, Equatable {
        public var type: String
        public var streamType: String
        public var streamId: String
        public var version: Int
        public var tenant: String
        public var payload: String

        public init(type: String, streamType: String, streamId: String, version: Int, tenant: String, payload: String) {
            self.type = type
            self.streamType = streamType
            self.streamId = streamId
            self.version = version
            self.tenant = tenant
            self.payload = payload
        }

        /// The event whole, as `enter` opens it: where it goes and its payload, pretty-printed.
        public var whole: DetailLine.Whole {
            DetailLine.Whole(
                title: "event \(type) · \(streamId) v\(version)",
                text: "type: \(type)\nstream: \(streamType) \(streamId) v\(version)\ntenant: \(tenant)\npayload:\n"
                    + PreviewModel.pretty(payload))
        }
    }

    /// A read-model row that would change.
    public struct Change: Sendable, Equatable {
        public enum Kind: String, Sendable, Equatable {
            case insert, update, delete
        }

        /// One field: its value before and after (nil where the row did not exist).
        public struct Field: Sendable, Equatable {
            public var name: String
            public var old: String?
            public var new: String?

            public init(name: String, old: String?, new: String?) {
                self.name = name
                self.old = old
                self.new = new
            }
        }

        public var table: String
        public var key: String
        public var kind: Kind
        public var fields: [Field]

        public init(table: String, key: String, kind: Kind, fields: [Field]) {
            self.table = table
            self.key = key
            self.kind = kind
            self.fields = fields
        }
    }

    /// A candidate row a handler would refuse.
    public struct Rejection: Sendable, Equatable {
        public var block: Int
        public var row: Int
        public var error: String
        public var payload: String
        public var advice: String?

        public init(block: Int, row: Int, error: String, payload: String, advice: String?) {
            self.block = block
            self.row = row
            self.error = error
            self.payload = payload
            self.advice = advice
        }
    }

    public var runId: Int64
    public var eventCount: Int
    public var changeCount: Int
    public var rejectionCount: Int
    public var idempotent: Bool
    public var note: String?
    /// The pending migrations previewed before this one in the same dry-run (`D`), whose effects it saw.
    public var after: [String]
    /// The rows the detail pane shows, built once when the preview arrives.
    public private(set) var lines: [DetailLine]

    /// A preview from its parts; the counts may exceed the items kept.
    public init(
        runId: Int64, events: [Event], eventCount: Int? = nil, changes: [Change], changeCount: Int? = nil,
        rejections: [Rejection], rejectionCount: Int? = nil, idempotent: Bool, note: String?, after: [String] = []
    ) {
        self.runId = runId
        self.eventCount = eventCount ?? events.count
        self.changeCount = changeCount ?? changes.count
        self.rejectionCount = rejectionCount ?? rejections.count
        self.idempotent = idempotent
        self.note = note
        self.after = after
        lines = []
        lines = PreviewModel.lines(self, events: events, changes: changes, rejections: rejections)
    }

    /// True when the migration would apply cleanly: no rejection, idempotent.
    public var clean: Bool { rejectionCount == 0 && idempotent }

    static func lines(_ model: PreviewModel, events: [Event], changes: [Change], rejections: [Rejection]) -> [DetailLine] {
        var lines: [DetailLine] = []
        var title = "dry-run (run \(model.runId), rolled back)"
        if !model.after.isEmpty {
            title = "dry-run (run \(model.runId), after \(model.after.count) pending before it, rolled back)"
        }
        lines.append(.heading(title))
        lines.append(DetailLine("\(count(model.eventCount, "event")) · \(count(model.changeCount, "row change"))", model.clean ? .applied : .failed))
        lines.append(DetailLine("\(count(model.rejectionCount, "rejection")) · " + (model.idempotent ? "idempotent" : "NOT idempotent"),
                                model.clean ? .applied : .failed))
        lines.append(.heading("events that would be appended · \(counted(model.eventCount, shown: events.count))"))
        if events.isEmpty { lines.append(DetailLine("none", .dim)) }
        for event in events {
            let whole = event.whole
            lines.append(DetailLine(
                "+ \(event.type)  \(event.streamId) v\(event.version) · tenant \(event.tenant) · \(event.streamType)", .diffAdd, whole: whole))
            lines.append(DetailLine("    \(event.payload)", .dim, whole: whole))
        }
        lines.append(.heading("read-model changes · \(counted(model.changeCount, shown: changes.count, noun: "row"))"))
        if changes.isEmpty { lines.append(DetailLine("none", .dim)) }
        for change in changes {
            let (glyph, role): (String, StyleRole) = switch change.kind {
            case .insert: ("+", .diffAdd)
            case .update: ("~", .diffChange)
            case .delete: ("-", .diffRemove)
            }
            let fieldText = change.fields.map { field -> String in
                switch change.kind {
                case .insert: return "\(field.name): \(field.new ?? "∅")"
                case .delete: return "\(field.name): \(field.old ?? "∅")"
                case .update: return "\(field.name): \(field.old ?? "∅") → \(field.new ?? "∅")"
                }
            }
            let whole = DetailLine.Whole(
                title: "\(change.kind.rawValue) \(change.table) \(change.key)",
                text: "table: \(change.table)\nkey: \(change.key)\nchange: \(change.kind.rawValue)\n" + fieldText.joined(separator: "\n"))
            lines.append(DetailLine("\(glyph) \(change.table) \(change.key)" + (change.kind == .update ? "" : " (\(change.kind.rawValue))"),
                                    role, whole: whole))
            for text in fieldText { lines.append(DetailLine("    \(text)", role, whole: whole)) }
        }
        lines.append(.heading("rejections · \(counted(model.rejectionCount, shown: rejections.count))"))
        if rejections.isEmpty { lines.append(DetailLine("none", .dim)) }
        for rejection in rejections {
            let whole = DetailLine.Whole(
                title: "rejected row \(rejection.row) of block \(rejection.block)",
                text: "block \(rejection.block) row \(rejection.row)\nerror: \(rejection.error)\n"
                    + (rejection.advice.map { "fix: \($0)\n" } ?? "") + "payload:\n\(pretty(rejection.payload))")
            lines.append(DetailLine("✗ block \(rejection.block) row \(rejection.row): \(rejection.error)", .failed, whole: whole))
            lines.append(DetailLine("    payload: \(rejection.payload)", .dim, whole: whole))
            if let advice = rejection.advice { lines.append(DetailLine("    fix: \(advice)", .accent, whole: whole)) }
        }
        lines.append(model.idempotent
            ? DetailLine("idempotent ✓ the candidate query returns nothing more after these writes", .applied)
            : DetailLine("NOT idempotent: \(model.note ?? "")", .failed))
        return lines
    }

    /// JSON text indented for reading, or the text as it is when it is not JSON.
    static func pretty(_ text: String) -> String {
        (try? JSONValue(parsing: text))?.prettyText ?? text
    }

    /// `5,923` with its noun.
    static func count(_ number: Int, _ noun: String) -> String {
        "\(number.grouped) \(noun)\(number == 1 ? "" : "s")"
    }

    /// A count, with how many are shown when not all are: `5,923; the first 1,000 shown`.
    static func counted(_ total: Int, shown: Int, noun: String? = nil) -> String {
        let counted = noun.map { count(total, $0) } ?? total.grouped
        guard shown < total else { return counted }
        return shown == 0 ? "\(counted); none shown" : "\(counted); the first \(shown.grouped) shown"
    }
}
