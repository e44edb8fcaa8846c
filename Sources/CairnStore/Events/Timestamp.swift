import Foundation

/// ISO 8601 UTC timestamps with milliseconds, the one time format of the store.
///
/// Stored as text, they sort chronologically and read well in `sqlite3`.
public enum Timestamp {
    /// The current time, e.g. `2026-05-20T12:01:03.042Z`.
    public static func now() -> String { string(from: Date()) }

    /// The timestamp text of a date.
    public static func string(from date: Date) -> String {
        date.formatted(style)
    }

    /// Parses timestamp text written by `string(from:)`, or a plain `YYYY-MM-DD` date (midnight UTC).
    public static func date(from text: String) -> Date? {
        if let date = try? style.parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        if text.count == 10, let date = try? Date.ISO8601FormatStyle().year().month().day().parse(text) {
            return date
        }
        return nil
    }

    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}
