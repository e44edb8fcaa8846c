/// A writing action the console asks to confirm.
public enum WriteAction: Sendable, Equatable {
    case runNext(String)
    case runAll
    case skip(String, reason: String)
    case unskip(String)
    /// Approve the edited file of an applied migration, or retire its deleted one (`cairn repair`); the
    /// checksum is the one the dialog was opened for, so a file changed meanwhile is refused, not approved.
    case repair(String, reason: String, retire: Bool, checksum: String)
    case rebuild([String])
    case breakLock(force: Bool)
    /// Stop the running job (asked first on a protected environment).
    case cancelJob

    /// The verb on the confirm button.
    public var verb: String {
        switch self {
        case .runNext: return "Run"
        case .runAll: return "Run all"
        case .skip: return "Skip"
        case .unskip: return "Unskip"
        case .repair(_, _, let retire, _): return retire ? "Retire" : "Repair"
        case .rebuild: return "Rebuild"
        case .breakLock: return "Break lock"
        case .cancelJob: return "Stop the job"
        }
    }
}

/// A confirmation: what will happen, an optional reason, an optional typed name,
/// and two buttons whose default is Cancel.
public struct Confirmation: Sendable, Equatable {
    /// The parts of the dialog that take the keys, in tab order.
    public enum Field: Sendable, Equatable {
        case reason, name, cancel, confirm
    }

    public var title: String
    public var lines: [String]
    public var action: WriteAction
    /// The reason typed so far, when the action needs one (skip); nil otherwise.
    public var reason: String?
    /// The environment name to type, on a protected environment.
    public var requiredName: String?
    public var typedName = ""
    public var focus: Field
    /// Why the confirm button does nothing yet, shown under the fields.
    public var problem: String?
    /// True when `enter` in a filled field confirms (skip); false when it only moves to the buttons,
    /// on Cancel, so confirming takes a deliberate move to the other button (repair, retire).
    public var enterConfirms = true

    /// A confirmation focused on its first field, or on Cancel when it has none.
    public init(title: String, lines: [String], action: WriteAction, needsReason: Bool, requiredName: String?) {
        self.title = title
        self.lines = lines
        self.action = action
        self.reason = needsReason ? "" : nil
        self.requiredName = requiredName
        focus = needsReason ? .reason : requiredName != nil ? .name : .cancel
    }

    /// The fields in tab order.
    public var fields: [Field] {
        (reason != nil ? [.reason] : []) + (requiredName != nil ? [.name] : []) + [.cancel, .confirm]
    }

    /// Why confirming is not possible yet, or nil when it is.
    public var blocker: String? {
        if let reason, reason.trimmingCharacters(in: .whitespaces).isEmpty { return "type a reason first" }
        if let requiredName, typedName != requiredName { return "type the environment's name, \(requiredName), to confirm" }
        return nil
    }
}

/// What sits on top of the views.
public enum Modal: Sendable, Equatable {
    /// The help overlay, generated from the keymap.
    case help(scroll: Int)
    /// A confirmation of a writing action.
    case confirm(Confirmation)
    /// A message to dismiss.
    case message(title: String, lines: [String], isError: Bool)
    /// One item shown whole (an event with its payload, a row with every field), scrollable.
    case viewer(Viewer)
}

/// A one-line text input in the bottom bar: a list filter or a log search.
public struct InputLine: Sendable, Equatable {
    public enum Purpose: Sendable, Equatable {
        /// Filters the list; searches the log; searches the detail pane; a `:` command.
        case filter, search, detailSearch, command
    }

    public var purpose: Purpose
    public var text: String
}
