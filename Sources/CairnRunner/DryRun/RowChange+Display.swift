import CairnStore
import CairnText

extension RowChange {
    /// A field's value as a human diff shows it: strings quoted with invisible characters
    /// written out (`TerminalSafe.quoted`), so a whitespace fix shows as a difference.
    ///
    /// Text that is already compact JSON of an array or object (a `roles` column holding
    /// `["Admin"]`) is shown as it is: it is its own canonical form, so nothing in it can
    /// hide, and quoting it would only bury it in backslashes. Numbers, booleans and null
    /// are shown as JSON; the result is inert.
    public static func display(_ value: JSONValue) -> String {
        guard case .string(let text) = value else { return TerminalSafe.inert(value.jsonText) }
        if let first = text.utf8.first, first == UInt8(ascii: "[") || first == UInt8(ascii: "{"),
           let parsed = try? JSONValue(parsing: text), parsed.jsonText == text {
            return TerminalSafe.inert(text)
        }
        return TerminalSafe.quoted(text)
    }
}
