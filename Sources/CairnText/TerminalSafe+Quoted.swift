extension TerminalSafe {
    /// A string value as a diff shows it: in double quotes, with every character a reader
    /// could not see or tell apart written as an escape.
    ///
    /// A whitespace fix (`"The Winter "` → `"The Winter"`) or a swapped space
    /// (`"a b"` → `"a<U+00A0>b"`) shows as a difference instead of two equal-looking texts:
    /// `"` and `\` are escaped, `\n`, `\r` and `\t` are written so, other controls as
    /// `inert` writes them, and invisible or space-like characters (no-break and typographic
    /// spaces, zero-width characters, soft hyphens, byte-order marks, Hangul fillers,
    /// bidirectional marks) as `<U+XXXX>`. The result is inert.
    public static func quoted(_ text: String) -> String {
        var output = "\""
        for character in text {
            // An emoji sequence keeps its joiners and variation selectors: they are how it draws.
            if character.unicodeScalars.count > 1, let first = character.unicodeScalars.first,
               first.value > 0xFF, first.properties.isEmoji {
                output += inert(String(character))
                continue
            }
            for scalar in character.unicodeScalars {
                switch scalar.value {
                case 0x22: output += "\\\""
                case 0x5C: output += "\\\\"
                case 0x0A: output += "\\n"
                case 0x0D: output += "\\r"
                case 0x09: output += "\\t"
                case 0x00..<0x20, 0x7F..<0xA0:
                    output += inert(String(scalar))
                case let value where isInvisible(value):
                    output += "<U+" + hex(value, width: 4) + ">"
                default:
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }

    /// True for a code point that draws nothing, or draws as a space that is not U+0020.
    static func isInvisible(_ value: UInt32) -> Bool {
        switch value {
        case 0xA0, 0xAD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B...0x180E, 0x1680,
             0x2000...0x200F, 0x2028...0x202F, 0x205F...0x206F, 0x3000, 0x3164, 0xFE00...0xFE0F, 0xFEFF,
             0xFFA0, 0xFFF9...0xFFFB, 0xE0000...0xE007F:
            return true
        default:
            return false
        }
    }
}
