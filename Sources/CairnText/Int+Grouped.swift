import Foundation

extension Int {
    /// The number with thousands separators, the same on every machine: `71,117`.
    public var grouped: String {
        formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
    }
}
