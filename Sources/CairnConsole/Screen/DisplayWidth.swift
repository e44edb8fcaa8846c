/// How many terminal cells a character (a grapheme cluster) takes: 0, 1 or 2.
///
/// East Asian wide and fullwidth characters and emoji take two cells; combining
/// marks, joiners and variation selectors take none on their own; a cluster is as
/// wide as its base, or two when it is an emoji sequence.
public enum DisplayWidth {
    /// The width of one grapheme cluster.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.contains(where: { $0.value == 0x200D }) {
            // A ZWJ sequence (👩‍💻) is drawn as its parts side by side: ncurses keeps one
            // spacing character per cell, so a joined glyph cannot be drawn whole, and a
            // part dropped would hide what the text says.
            return parts(character).reduce(0) { $0 + of($1) }
        }
        if scalars.count > 1 {
            // Emoji sequences (ZWJ, skin tones, flags, keycaps with VS16) are one wide glyph.
            if scalars.contains(where: { $0.value == 0xFE0F || $0.value == 0x200D })
                || scalars.contains(where: isEmojiPresentation)
                || (0x1F1E6...0x1F1FF).contains(first.value) {
                return 2
            }
        }
        return width(of: first)
    }

    /// The parts of a ZWJ sequence, each a character of its own (`👩‍💻` → `👩`, `💻`);
    /// any other character is its only part.
    public static func parts(_ character: Character) -> [Character] {
        guard character.unicodeScalars.contains(where: { $0.value == 0x200D }) else { return [character] }
        var parts: [Character] = []
        var current = String.UnicodeScalarView()
        for scalar in character.unicodeScalars {
            if scalar.value == 0x200D {
                if !current.isEmpty { parts.append(Character(String(current))) }
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { parts.append(Character(String(current))) }
        return parts
    }

    /// The width of a string: the sum of its grapheme clusters' widths.
    public static func of(_ text: String) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// The width of a single scalar.
    static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value == 0 { return 0 }
        if value < 0x20 || (0x7F..<0xA0).contains(value) { return 1 } // shown inert, as one visible cell each
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format:
            return value == 0x00AD ? 1 : 0
        default:
            break
        }
        if (0x1160...0x11FF).contains(value) || value == 0x200B { return 0 }
        if isEmojiPresentation(scalar) { return 2 }
        for range in wideRanges where range.contains(value) {
            return 2
        }
        return 1
    }

    private static func isEmojiPresentation(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isEmojiPresentation
    }

    /// East Asian Wide (W) and Fullwidth (F) ranges of Unicode 15, outside emoji.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
        0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1,
        0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA,
        0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B,
        0x2728...0x2728, 0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF,
        0x1F18E...0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F202, 0x1F210...0x1F23B, 0x1F240...0x1F248,
        0x1F250...0x1F251, 0x1F260...0x1F265, 0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F7E0...0x1F7EB,
        0x1F90C...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}
