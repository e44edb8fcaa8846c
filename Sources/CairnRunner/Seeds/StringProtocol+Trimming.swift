/// Whitespace trimming in native Swift, for the seed parser's hot path.
///
/// Foundation's `trimmingCharacters(in:)` and `components(separatedBy:)` bridge
/// through `NSString` on Linux and made reading 500 seeds take most of `status`'s
/// time (docs/PERFORMANCE.md). These work on Unicode scalars with the same sets:
/// `.whitespaces` is the space separators (Zs) and tab; `.whitespacesAndNewlines`
/// adds U+000A–U+000D, U+0085, U+2028 and U+2029.
extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (`CharacterSet.whitespaces`).
    var trimmedSpaces: String { trimmingScalars(Self.isSpace) }

    /// The text without leading and trailing whitespace and newlines (`CharacterSet.whitespacesAndNewlines`).
    var trimmedSpacesAndNewlines: String {
        trimmingScalars { Self.isSpace($0) || (0x0A...0x0D).contains($0.value) || [0x85, 0x2028, 0x2029].contains($0.value) }
    }

    /// The lines of the text split at `\n`, empty lines kept (`components(separatedBy: "\n")`).
    var linesKeepingEmpty: [String] {
        String(self).utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(Substring($0)) }
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || (scalar.value >= 0x80 && scalar.properties.generalCategory == .spaceSeparator)
    }

    private func trimmingScalars(_ drop: (Unicode.Scalar) -> Bool) -> String {
        let scalars = Substring(self).unicodeScalars
        guard let first = scalars.firstIndex(where: { !drop($0) }), let last = scalars.lastIndex(where: { !drop($0) }) else {
            return ""
        }
        return String(scalars[first...last])
    }
}
