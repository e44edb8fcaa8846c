extension TerminalSafe {
    /// A string value as a diff shows it: in double quotes, with every character a reader
    /// could not see or tell apart written as an escape.
    ///
    /// A whitespace fix (`"The Winter "` → `"The Winter"`) or a swapped space
    /// (`"a b"` → `"a\u{A0}b"`) shows as a difference instead of two equal-looking texts.
    /// The escapes are Swift's: `\"`, `\\`, `\n`, `\r`, `\t`, and `\u{HEX}` for every other
    /// control character (ESC is `\u{1B}`) and every invisible or space-like one (no-break
    /// and typographic spaces, zero-width characters, soft hyphens, byte-order marks, Hangul
    /// fillers, bidirectional marks). A backslash in the text is always doubled, so an
    /// escape can never be mistaken for text that looks like one. The result is inert.
    public static func quoted(_ text: String) -> String {
        var output = "\""
        for character in text {
            // An emoji sequence keeps its joiners and variation selectors: they are how it draws.
            if character.unicodeScalars.count > 1, let first = character.unicodeScalars.first,
               first.value > 0xFF, first.properties.isEmoji,
               !character.unicodeScalars.contains(where: { isControl($0.value) }) {
                output += String(character)
                continue
            }
            for scalar in character.unicodeScalars {
                switch scalar.value {
                case 0x22: output += "\\\""
                case 0x5C: output += "\\\\"
                case 0x0A: output += "\\n"
                case 0x0D: output += "\\r"
                case 0x09: output += "\\t"
                case let value where isControl(value) || isInvisible(value):
                    output += "\\u{" + String(value, radix: 16, uppercase: true) + "}"
                default:
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }

    /// JSON text (an event's payload) with every invisible or space-like character inside
    /// its strings written as a JSON escape (`\u00a0`), so it still reads as the same JSON
    /// and nothing in it hides; controls are made inert as `inert` does.
    public static func visibleJSON(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: { isInvisible($0.value) || isControl($0.value) }) else { return json }
        var output = ""
        for scalar in json.unicodeScalars {
            let value = scalar.value
            if isInvisible(value) {
                if value > 0xFFFF {
                    let offset = value - 0x10000
                    output += "\\u" + hex(0xD800 + (offset >> 10), width: 4).lowercased()
                        + "\\u" + hex(0xDC00 + (offset & 0x3FF), width: 4).lowercased()
                } else {
                    output += "\\u" + hex(value, width: 4).lowercased()
                }
            } else if isControl(value) {
                output += "\\u" + hex(value, width: 4).lowercased()
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// True for a C0 or C1 control character or DEL.
    static func isControl(_ value: UInt32) -> Bool {
        value < 0x20 || (0x7F..<0xA0).contains(value)
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
