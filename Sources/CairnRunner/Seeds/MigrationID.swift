/// Validation of migration ids: `YYYY-MM-DD-kebab-name`, a real date, then kebab-case words.
public enum MigrationID {
    /// Why `id` is not a valid migration id, or nil when it is.
    public static func problem(with id: String) -> String? {
        let scalars = Array(id.unicodeScalars)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= scalars.count,
                  scalars[range].allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
            return Int(String(String.UnicodeScalarView(scalars[range])))
        }
        guard scalars.count > 11, let year = digits(0..<4), scalars[4] == "-", let month = digits(5..<7),
              scalars[7] == "-", let day = digits(8..<10), scalars[10] == "-" else {
            return "'\(id)' does not start with a date: migration ids are YYYY-MM-DD-kebab-name"
                + " (for example 2026-05-20-fix-admin-roles)"
        }
        let daysInMonth = [31, year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(month), (1...daysInMonth[month - 1]).contains(day), year >= 1970 else {
            return "'\(id)' starts with \(String(id.prefix(10))), which is not a real date"
        }
        let name = String(id.dropFirst(11))
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }),
              !name.hasPrefix("-"), !name.hasSuffix("-"), !name.contains("--") else {
            return "'\(id)': the name after the date must be lower-case kebab-case (a-z, 0-9, single dashes)"
        }
        return nil
    }

    /// The environment variable that skips migration `id`: `CAIRN_SKIP_` and the id
    /// upper-cased with every non-alphanumeric character replaced by `_`.
    public static func skipVariable(for id: String) -> String {
        let sanitized = id.uppercased().unicodeScalars.map { scalar -> String in
            ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) ? String(scalar) : "_"
        }.joined()
        return "CAIRN_SKIP_\(sanitized)"
    }
}
