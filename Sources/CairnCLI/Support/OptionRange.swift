import ArgumentParser

/// The ranges the command line accepts for times and pauses, so that `inf`, `nan`,
/// negatives and values past what the process can wait for are refused with the
/// option named (exit 2) instead of crashing or sleeping for ever.
enum OptionRange {
    /// The longest wait or time limit, in seconds: a week.
    static let longestSeconds: Double = 7 * 24 * 3600
    /// The longest pause between batches, in milliseconds: an hour.
    static let longestThrottle = 3_600_000

    /// Checks a number of seconds; `zeroAllowed` for waits that may be skipped.
    static func seconds(_ value: Double, _ option: String, zeroAllowed: Bool = true) throws {
        let lowest = zeroAllowed ? "0" : "more than 0"
        guard value.isFinite, zeroAllowed ? value >= 0 : value > 0, value <= longestSeconds else {
            throw ValidationError(
                "\(option) must be a number of seconds from \(lowest) to \(Int(longestSeconds)) (a week), got \(value)")
        }
    }

    /// Checks a `--throttle` in milliseconds.
    static func throttle(_ value: Int) throws {
        guard (0...longestThrottle).contains(value) else {
            throw ValidationError("--throttle must be a number of milliseconds from 0 to \(longestThrottle) (an hour), got \(value)")
        }
    }
}
