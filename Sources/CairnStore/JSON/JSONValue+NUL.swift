import Foundation

extension JSONValue {
    /// Where the value holds a NUL character (U+0000) in a string or an object key, or nil when it holds none.
    ///
    /// SQLite's text ends at a NUL when it is bound the way GRDB binds it, so a
    /// string holding one would be kept whole in the event and cut short in every
    /// read table and lookup. Cairn refuses such strings before anything is written;
    /// the path says where the NUL is (`title`, `tags[2]`, `address.street`, or
    /// `a key of address`), empty for the value itself.
    public func pathOfNUL(_ prefix: String = "") -> String? {
        // Nearly every value holds none: a walk that builds no path says so first.
        holdsNULAnywhere ? locateNUL(prefix) : nil
    }

    /// True when a string or an object key anywhere in the value holds a NUL character.
    private var holdsNULAnywhere: Bool {
        switch self {
        case .string(let string): return string.holdsNUL
        case .array(let elements): return elements.contains { $0.holdsNULAnywhere }
        case .object(let members): return members.contains { $0.key.holdsNUL || $0.value.holdsNULAnywhere }
        case .null, .bool, .int, .double: return false
        }
    }

    /// The path of the first NUL in key order, for a value known to hold one.
    private func locateNUL(_ prefix: String) -> String? {
        switch self {
        case .string(let string):
            return string.holdsNUL ? prefix : nil
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if let path = element.locateNUL("\(prefix)[\(index)]") { return path }
            }
            return nil
        case .object(let members):
            for key in members.keys.sorted() {
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                if key.holdsNUL { return prefix.isEmpty ? "a key" : "a key of \(prefix)" }
                if let found = members[key]!.locateNUL(path) { return found }
            }
            return nil
        case .null, .bool, .int, .double:
            return nil
        }
    }
}

extension StringProtocol {
    /// True when the text holds a NUL character (U+0000), which SQLite text cannot keep.
    public var holdsNUL: Bool { utf8.contains(0) }
}

extension String {
    /// True when the text holds a NUL character (U+0000), which SQLite text cannot keep:
    /// `memchr` over the string's own bytes, since every id, type and payload string is checked.
    public var holdsNUL: Bool {
        let found = utf8.withContiguousStorageIfAvailable { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
            return memchr(base, 0, bytes.count) != nil
        }
        return found ?? utf8.contains(0)
    }
}
