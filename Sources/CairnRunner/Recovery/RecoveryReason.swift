import Foundation

/// The reason an operator gives for a recovery verb (repair, retire, baseline): required, one line of
/// plain text, kept on the marker and the run as the record of why a block was ended.
enum RecoveryReason {
    /// The longest reason kept, in characters.
    static let longest = 500

    /// The reason trimmed of surrounding spaces.
    ///
    /// - Throws: `RunnerError.refused` (exit 2) when it is empty, longer than `longest`, or holds a
    ///   control character (a line break included), which would make the record unreadable.
    static func validated(_ reason: String, verb: String) throws -> String {
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw RunnerError.refused(
                reason: "\(verb) needs a reason: it ends a block on the record", remedy: "say why with --reason \"...\"; nothing was written")
        }
        guard trimmed.unicodeScalars.contains(where: RecoveryReason.shows) else {
            throw RunnerError.refused(
                reason: "\(verb) needs a reason that can be read: this one holds only invisible characters"
                    + " (\(trimmed.unicodeScalars.prefix(4).map { String(format: "U+%04X", $0.value) }.joined(separator: " ")))",
                remedy: "say why in words with --reason \"...\"; nothing was written")
        }
        if let control = trimmed.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
            throw RunnerError.refused(
                reason: "the reason holds a control character (U+\(String(format: "%04X", control.value)))",
                remedy: "write the reason as one line of plain text; nothing was written")
        }
        // Characters, and code points too: a letter with thousands of combining marks is one character.
        guard trimmed.count <= longest, trimmed.unicodeScalars.count <= longest * 4 else {
            throw RunnerError.refused(
                reason: "the reason is \(trimmed.count) characters long; at most \(longest) are kept",
                remedy: "say it shorter, and link to a ticket for the rest; nothing was written")
        }
        return trimmed
    }

    /// Characters that draw nothing although their category says letter or symbol (fillers, blank braille).
    static let blankLetters: Set<UInt32> = [0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800, 0xFFFC, 0x1D159]

    /// True when `scalar` draws something: a letter, number, punctuation or symbol, not a filler.
    /// Spaces, format characters (U+200F, U+2060, U+FEFF, U+00AD…) and lone combining marks do not.
    static func shows(_ scalar: Unicode.Scalar) -> Bool {
        guard !blankLetters.contains(scalar.value) else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber,
             .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }
}
