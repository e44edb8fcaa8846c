extension String {
    /// The string cut to at most `limit` characters, ending with "…" when cut.
    public func truncatedForDisplay(_ limit: Int) -> String {
        guard count > limit else { return self }
        return String(prefix(max(0, limit - 1))) + "…"
    }
}

extension String {
    /// The string with control characters written in caret notation (`\n` as `^J`, ESC as
    /// `^[`, DEL as `^?`), so a file name or an id can never break or forge a line of output.
    public var visibleControls: String {
        guard unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return self }
        var out = ""
        for scalar in unicodeScalars {
            switch scalar.value {
            case 0x7F: out += "^?"
            case ..<0x20: out += "^" + String(UnicodeScalar(UInt8(scalar.value) + 0x40))
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension String {
    /// The string with each NUL written as `^@`, for bookkeeping text (log lines, errors):
    /// SQLite text bound as GRDB binds it ends at a NUL, which would cut the record short.
    public var withVisibleNUL: String {
        holdsNUL ? replacingOccurrences(of: "\u{0}", with: "^@") : self
    }
}
