extension JSONValue {
    /// Where the value holds a NUL character (U+0000) in a string or an object key, or nil when it holds none.
    ///
    /// SQLite's text ends at a NUL when it is bound the way GRDB binds it, so a
    /// string holding one would be kept whole in the event and cut short in every
    /// read table and lookup. Cairn refuses such strings before anything is written;
    /// the path says where the NUL is (`title`, `tags[2]`, `address.street`, or
    /// `a key of address`), empty for the value itself.
    public func pathOfNUL(_ prefix: String = "") -> String? {
        switch self {
        case .string(let string):
            return string.holdsNUL ? prefix : nil
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if let path = element.pathOfNUL("\(prefix)[\(index)]") { return path }
            }
            return nil
        case .object(let members):
            for key in members.keys.sorted() {
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                if key.holdsNUL { return prefix.isEmpty ? "a key" : "a key of \(prefix)" }
                if let found = members[key]!.pathOfNUL(path) { return found }
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
