import Foundation

/// SQL text as PostgreSQL reads it: placeholders, statements and keywords, found
/// outside string literals, quoted identifiers, dollar-quoted strings and comments.
package enum PostgresSQL {
    /// A piece of SQL text.
    package enum Piece: Equatable {
        /// Text the server reads as SQL.
        case code(String)
        /// A string literal, quoted identifier or dollar-quoted string, quotes included.
        case quoted(String)
        /// A comment.
        case comment(String)
    }

    /// `sql` cut into code, quoted text and comments.
    package static func pieces(_ sql: String) -> [Piece] {
        let characters = Array(sql.unicodeScalars)
        var pieces: [Piece] = []
        var code = String.UnicodeScalarView()
        var index = 0
        func flush() {
            if !code.isEmpty { pieces.append(.code(String(code))) }
            code = String.UnicodeScalarView()
        }
        func take(_ range: Range<Int>) -> String {
            var text = String.UnicodeScalarView()
            text.append(contentsOf: characters[range])
            return String(text)
        }
        while index < characters.count {
            let character = characters[index]
            let next: Unicode.Scalar? = index + 1 < characters.count ? characters[index + 1] : nil
            if character == "'" || character == "\"" {
                // E'' strings take backslash escapes; a doubled quote stays inside.
                let escapes = character == "'" && (code.last == "E" || code.last == "e")
                let start = index
                index += 1
                while index < characters.count {
                    if escapes && characters[index] == "\\" {
                        index += 2
                        continue
                    }
                    if characters[index] == character {
                        if index + 1 < characters.count && characters[index + 1] == character {
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    index += 1
                }
                flush()
                pieces.append(.quoted(take(start..<min(index, characters.count))))
            } else if character == "-" && next == "-" {
                let start = index
                while index < characters.count && characters[index] != "\n" { index += 1 }
                flush()
                pieces.append(.comment(take(start..<index)))
            } else if character == "/" && next == "*" {
                let start = index
                var depth = 0
                repeat {
                    if characters[index] == "/" && index + 1 < characters.count && characters[index + 1] == "*" {
                        depth += 1
                        index += 2
                    } else if characters[index] == "*" && index + 1 < characters.count && characters[index + 1] == "/" {
                        depth -= 1
                        index += 2
                    } else {
                        index += 1
                    }
                } while depth > 0 && index < characters.count
                flush()
                pieces.append(.comment(take(start..<index)))
            } else if character == "$", let tagEnd = dollarTagEnd(characters, from: index),
                      !(code.last.map { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" } ?? false) {
                let tag = Array(characters[index...tagEnd])
                let start = index
                index = tagEnd + 1
                while index < characters.count {
                    if characters[index] == "$", index + tag.count <= characters.count,
                       Array(characters[index..<(index + tag.count)]) == tag {
                        index += tag.count
                        break
                    }
                    index += 1
                }
                flush()
                pieces.append(.quoted(take(start..<min(index, characters.count))))
            } else {
                code.append(character)
                index += 1
            }
        }
        flush()
        return pieces
    }

    /// Where the dollar-quote tag starting at `start` ends (its closing `$`), or nil when none starts there.
    private static func dollarTagEnd(_ characters: [Unicode.Scalar], from start: Int) -> Int? {
        var end = start + 1
        while end < characters.count {
            let character = characters[end]
            if character == "$" { return end }
            let isTagCharacter = character == "_" || character.properties.isAlphabetic
                || (end > start + 1 && ("0"..."9").contains(character))
            guard isTagCharacter else { return nil }
            end += 1
        }
        return nil
    }

    /// `sql` with each `?` placeholder replaced by `replacement` (the gate checks a query of a
    /// Swift migration with `NULL` in place of its values).
    package static func replacingPlaceholders(_ sql: String, with replacement: String) -> String {
        guard sql.contains("?") else { return sql }
        return pieces(sql).map { piece in
            switch piece {
            case .code(let text): return text.replacingOccurrences(of: "?", with: replacement)
            case .quoted(let text), .comment(let text): return text
            }
        }.joined()
    }

    /// `sql` with each `?` placeholder numbered `$1`, `$2`, … in order; a `?` inside a string
    /// literal, a quoted identifier, a dollar-quoted string or a comment is left as it is.
    package static func numbered(_ sql: String) -> String {
        guard sql.contains("?") else { return sql }
        var number = 0
        var output = ""
        for piece in pieces(sql) {
            switch piece {
            case .code(let text):
                for character in text.unicodeScalars {
                    if character == "?" {
                        number += 1
                        output += "$\(number)"
                    } else {
                        output.unicodeScalars.append(character)
                    }
                }
            case .quoted(let text), .comment(let text):
                output += text
            }
        }
        return output
    }

    /// The statements in `sql`, cut at semicolons outside literals and comments, each
    /// trimmed; statements holding nothing but comments and whitespace are left out.
    package static func statements(_ sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var hasCode = false
        func end() {
            let trimmed = current.trimmingWhitespace
            if hasCode && !trimmed.isEmpty { statements.append(trimmed) }
            current = ""
            hasCode = false
        }
        for piece in pieces(sql) {
            switch piece {
            case .code(let text):
                for character in text {
                    if character == ";" {
                        end()
                    } else {
                        current.append(character)
                        if !character.isWhitespace { hasCode = true }
                    }
                }
            case .quoted(let text):
                current += text
                hasCode = true
            case .comment(let text):
                current += text
            }
        }
        end()
        return statements
    }

    /// The first keyword of a statement, lowercased, past comments and opening parentheses.
    package static func firstKeyword(_ statement: String) -> String {
        for piece in pieces(statement) {
            guard case .code(let text) = piece else {
                if case .quoted = piece { return "" }
                continue
            }
            let word = text.drop { $0.isWhitespace || $0 == "(" }.prefix { $0.isLetter || $0 == "_" }
            if !word.isEmpty { return word.lowercased() }
            if text.contains(where: { !$0.isWhitespace && $0 != "(" }) { return "" }
        }
        return ""
    }

    /// The code of `sql` with its literals, quoted identifiers and comments left out.
    package static func outsideLiterals(_ sql: String) -> String {
        pieces(sql).map { piece in
            if case .code(let text) = piece { return text }
            return " "
        }.joined()
    }

    /// `name` as a quoted identifier.
    package static func identifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension String {
    /// The text without leading and trailing whitespace.
    fileprivate var trimmingWhitespace: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
