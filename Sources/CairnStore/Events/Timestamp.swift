import Foundation

/// ISO 8601 UTC timestamps with milliseconds, the one time format of the store.
///
/// Stored as text, they sort chronologically and read well in `sqlite3`.
public enum Timestamp {
    /// The current time, e.g. `2026-05-20T12:01:03.042Z`.
    ///
    /// Formatting is cached per millisecond: appends in a batch share most of their
    /// timestamps, and the formatter was a visible share of an apply's profile.
    public static func now() -> String {
        let date = Date()
        let millisecond = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        cacheLock.lock()
        defer { cacheLock.unlock() }
        if cachedMillisecond == millisecond { return cachedText }
        cachedText = string(from: date)
        cachedMillisecond = millisecond
        return cachedText
    }

    private static let cacheLock = NSLock()
    nonisolated(unsafe) private static var cachedMillisecond: Int64 = -1
    nonisolated(unsafe) private static var cachedText = ""

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
