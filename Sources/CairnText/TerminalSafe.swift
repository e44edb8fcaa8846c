/// Renders text from the store inert for a terminal: control characters and
/// escape sequences become visible, harmless text.
///
/// Payloads, ids, descriptions and log lines can hold anything, including ESC
/// sequences that would move the cursor, retitle the window or hide output.
/// Every front end passes such text through here before writing it.
public enum TerminalSafe {
    /// The text with every C0 control (except, when `keepNewlines`, the line feed),
    /// DEL, C1 control, and bidirectional override shown as visible escapes:
    /// `ESC` → `^[`, `BEL` → `^G`, `U+009B` → `<9B>`, `U+202E` → `<U+202E>`.
    public static func inert(_ text: String, keepNewlines: Bool = false) -> String {
        var output = ""
        output.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            switch value {
            case 0x0A where keepNewlines:
                output.unicodeScalars.append(scalar)
            case 0x09:
                output += "  "
            case 0x00..<0x20:
                output += "^" + String(UnicodeScalar(UInt8(value + 0x40)))
            case 0x7F:
                output += "^?"
            case 0x80..<0xA0:
                output += "<" + hex(value, width: 2) + ">"
            case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFFF9...0xFFFB:
                output += "<U+" + hex(value, width: 4) + ">"
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// A marker for a colour or attribute (an SGR code, e.g. 31 for red, 0 to reset)
    /// that `forTerminal` turns into its escape sequence. Front ends put markers in
    /// their own text; data never yields an escape sequence, only, at worst, a colour.
    public static func marker(sgr: Int) -> Character {
        Character(Unicode.Scalar(markerBase + UInt32(max(0, min(sgr, 255))))!)
    }

    /// `text` ready for a terminal: every control character and escape sequence made
    /// inert (line feeds kept), and colour markers turned into SGR sequences when
    /// `colours` is true, or dropped.
    public static func forTerminal(_ text: String, colours: Bool) -> String {
        var plain = ""
        var output = ""
        func flush() {
            output += inert(plain, keepNewlines: true)
            plain = ""
        }
        for scalar in text.unicodeScalars {
            if (markerBase...(markerBase + 255)).contains(scalar.value) {
                flush()
                if colours { output += "\u{1B}[\(scalar.value - markerBase)m" }
            } else {
                plain.unicodeScalars.append(scalar)
            }
        }
        flush()
        return output
    }

    private static let markerBase: UInt32 = 0xF0000

    /// True when `text` needs no change to be shown safely.
    public static func isInert(_ text: String, keepNewlines: Bool = false) -> Bool {
        inert(text, keepNewlines: keepNewlines) == text
    }

    static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
