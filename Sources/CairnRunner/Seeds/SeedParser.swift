import CairnStore
import Foundation

/// Parses seed files: a header of `-- key: value` lines, then `-- @write QN` blocks,
/// then optionally a `-- @down` section of blocks.
///
/// It reports every problem in a file, each with its line, not only the first.
public enum SeedParser {
    /// Parses `text`, the contents of the seed `id` at `path`.
    public static func parse(_ text: String, id: String, path: String) -> Result<SeedFile, SeedErrors> {
        var errors: [SeedParseError] = []
        func fail(_ line: Int, _ message: String, hint: String? = nil) {
            errors.append(SeedParseError(path: path, line: line, message: message, hint: hint))
        }

        var values: [String: (value: String, line: Int)] = [:]
        var up: [PendingBlock] = []
        var down: [PendingBlock]? = nil
        var inHeader = true
        let lines = SeedParser.normalized(text).linesKeepingEmpty

        // SQLite stops reading a statement at a NUL byte, so the SQL after it would silently
        // not run (a WHERE clause cut off): a file holding one is refused, naming every line.
        for (offset, rawLine) in lines.enumerated() where rawLine.utf8.contains(0) {
            let column = (rawLine.utf8.firstIndex(of: 0).map { rawLine.utf8.distance(from: rawLine.utf8.startIndex, to: $0) } ?? 0) + 1
            fail(offset + 1, "the line holds a NUL byte (at byte \(column)); SQLite would stop reading the SQL there",
                 hint: "remove the NUL byte: a seed is plain text")
        }
        if !errors.isEmpty { return .failure(SeedErrors(errors: errors)) }

        for (offset, rawLine) in lines.enumerated() {
            let number = offset + 1
            let line = rawLine.trimmedSpaces
            if line.hasPrefix("--") {
                let comment = line.dropFirst(2).trimmedSpaces
                if comment.hasPrefix("@") {
                    inHeader = false
                    let words = comment.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                    switch words[0] {
                    case "@write":
                        guard words.count == 2 else {
                            fail(number, "`-- @write` needs exactly one handler name, e.g. `-- @write tenant:write:update-member-roles`")
                            continue
                        }
                        do {
                            let name = try QualifiedName(words[1])
                            if down != nil {
                                down!.append(PendingBlock(handler: name, line: number))
                            } else {
                                up.append(PendingBlock(handler: name, line: number))
                            }
                        } catch let error as QualifiedNameError {
                            fail(number, error.description)
                            // Keep collecting the block's SQL so later lines are not misread.
                            if down != nil { down!.append(PendingBlock(handler: nil, line: number)) } else {
                                up.append(PendingBlock(handler: nil, line: number))
                            }
                        } catch {
                            fail(number, "\(error)")
                        }
                    case "@down":
                        if words.count > 1 {
                            fail(number, "`-- @down` takes no arguments; put the blocks that undo the migration after it")
                        }
                        if down != nil {
                            fail(number, "a second `-- @down` section; a seed has at most one")
                        } else {
                            down = []
                        }
                    default:
                        fail(number, "unknown directive `\(words[0])`; a seed knows `-- @write QN` and `-- @down`")
                    }
                    continue
                }
                switch SeedParser.headerLine(comment) {
                case .entry(let key, let value):
                    if !inHeader {
                        fail(number, "header key '\(key)' comes after the first block",
                             hint: "move it to the header at the top of the file")
                    } else if let earlier = values[key] {
                        fail(number, "header key '\(key)' appears twice (first on line \(earlier.line))")
                    } else {
                        values[key] = (value, number)
                    }
                    continue
                case .misspelt(let written, let meant):
                    fail(number, "header key written '\(written)'",
                         hint: "did you mean '\(meant)'? Write it `-- \(meant): value`, in lower case with the colon right"
                            + " after the key; known keys: \(SeedHeader.knownKeys.joined(separator: ", "))")
                    continue
                case .freeText:
                    break
                }
                if !inHeader { SeedParser.appendLine(rawLine, up: &up, down: &down) }
                continue
            }
            if line.isEmpty {
                if !inHeader { SeedParser.appendLine(rawLine, up: &up, down: &down) }
                continue
            }
            if inHeader || (down == nil ? up.isEmpty : down!.isEmpty) {
                if !inHeader && down != nil {
                    fail(number, "SQL after `-- @down` but before its first `-- @write` block")
                } else {
                    fail(number, "SQL outside a block", hint: "start the block with `-- @write context:write:verb` on the line before")
                }
                inHeader = false
                continue
            }
            SeedParser.appendLine(rawLine, up: &up, down: &down)
        }

        let header = SeedParser.header(from: values, fail: fail)
        if up.isEmpty {
            fail(0, "no `-- @write` block: a seed needs at least one block naming a handler and holding a SELECT")
        }
        if let down, down.isEmpty {
            fail(0, "the `-- @down` section has no `-- @write` block")
        }
        let blocks = SeedParser.finish(up, fail: fail)
        let downBlocks = down.map { SeedParser.finish($0, fail: fail) }
        guard errors.isEmpty, let header else {
            return .failure(SeedErrors(errors: errors))
        }
        return .success(SeedFile(id: id, path: path, header: header, blocks: blocks, downBlocks: downBlocks))
    }

    /// The text with a byte-order mark removed and line endings made `\n`.
    public static func normalized(_ text: String) -> String {
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        // Most files have no carriage return at all: no copy then.
        guard text.utf8.contains(UInt8(ascii: "\r")) else { return text }
        return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// A block whose SQL is still being collected.
    struct PendingBlock {
        let handler: QualifiedName?
        let line: Int
        var sql: [String] = []
    }

    private static func appendLine(_ line: String, up: inout [PendingBlock], down: inout [PendingBlock]?) {
        if down != nil {
            if !down!.isEmpty { down![down!.count - 1].sql.append(line) }
        } else if !up.isEmpty {
            up[up.count - 1].sql.append(line)
        }
    }

    private static func finish(_ pending: [PendingBlock], fail: (Int, String, String?) -> Void) -> [SeedBlock] {
        var blocks: [SeedBlock] = []
        for (offset, block) in pending.enumerated() {
            let sql = block.sql.joined(separator: "\n").trimmedSpacesAndNewlines
            let meaningful = block.sql.contains { line in
                let trimmed = line.trimmedSpaces
                return !trimmed.isEmpty && !trimmed.hasPrefix("--") && trimmed != ";"
            }
            guard meaningful else {
                fail(block.line, "block \(offset + 1) (`-- @write \(block.handler?.description ?? "?")`) holds no SELECT",
                     "write the candidate query on the lines after the directive")
                continue
            }
            if let handler = block.handler {
                blocks.append(SeedBlock(index: offset + 1, handler: handler, sql: sql, line: block.line))
            }
        }
        return blocks
    }

    /// Splits `key: value` when `text` starts with a lower-case key (`a-z`, digits, `-`, `_`)
    /// directly followed by a colon. Other comments in the header (`-- Note: ...`) are free text.
    /// What a comment line of a seed is (`text` is the line after `--`, trimmed).
    enum HeaderLine: Equatable {
        /// `WORD: value` with WORD a known key, exactly.
        case entry(key: String, value: String)
        /// Shaped like a header line, but the key is a known one in another case, with a space
        /// before the colon, or a small edit away from one: an error naming the key meant.
        case misspelt(written: String, meant: String)
        /// Anything else: a comment (`-- Note: ...`, `-- loans:write:lend refuses ...`).
        case freeText
    }

    /// The rule: a line is header-shaped when it reads `WORD: value` or `WORD : value`, WORD
    /// one word (letters, digits, `_`, `-`) and the colon followed by a space or the end of
    /// the line. A header-shaped line whose WORD is a known key is an entry; one whose WORD
    /// is a known key in another case or spacing, or within 2 edits of one, is misspelt;
    /// everything else is free text.
    static func headerLine(_ text: String) -> HeaderLine {
        guard let colon = text.firstIndex(of: ":") else { return .freeText }
        let after = text[text.index(after: colon)...]
        guard after.isEmpty || after.first == " " || after.first == "\t" else { return .freeText }
        let before = text[..<colon]
        let word = String(before.trimmedSpaces)
        let spaced = word.count != before.count
        guard !word.isEmpty, word.unicodeScalars.allSatisfy({
            CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-"
        }) else { return .freeText }
        let written = spaced ? "\(word) :" : "\(word):"
        if !spaced && SeedHeader.knownKeys.contains(word) {
            return .entry(key: word, value: after.trimmedSpaces)
        }
        if SeedHeader.knownKeys.contains(word.lowercased()) {
            return .misspelt(written: written, meant: word.lowercased())
        }
        if let meant = closestKey(to: word.lowercased()) {
            return .misspelt(written: written, meant: meant)
        }
        return .freeText
    }

    /// The known key within 2 edits of `key` — for keys of 5 letters or fewer, 1 edit and
    /// the same first letter, so `-- match:` or `-- watch:` stay comments — if any.
    private static func closestKey(to key: String) -> String? {
        SeedHeader.knownKeys.map { ($0, $0.editDistance(to: key)) }
            .filter { known, distance in
                known.count <= 5 ? distance <= 1 && known.first == key.first : distance <= 2
            }
            .min { $0.1 < $1.1 }?.0
    }

    private static func header(
        from values: [String: (value: String, line: Int)], fail: (Int, String, String?) -> Void
    ) -> SeedHeader? {
        var header = SeedHeader(description: "", skippable: false, atomic: false, batch: SeedHeader.defaultBatch, rebuilds: [])
        var valid = true
        if let description = values["description"], !description.value.isEmpty {
            header.description = description.value
        } else {
            fail(values["description"]?.line ?? 0, "missing `-- description: ...` in the header",
                 "say in one line what the migration does; it is shown in status, the console and the boot log")
            valid = false
        }
        for key in ["skippable", "atomic"] {
            guard let entry = values[key] else { continue }
            switch entry.value.lowercased() {
            case "true": if key == "skippable" { header.skippable = true } else { header.atomic = true }
            case "false": break
            default:
                fail(entry.line, "'\(key)' must be true or false, not '\(entry.value)'", nil)
                valid = false
            }
        }
        if let entry = values["batch"] {
            if let batch = Int(entry.value), (1...SeedHeader.maximumBatch).contains(batch) {
                header.batch = batch
            } else {
                fail(entry.line, "'batch' must be a whole number from 1 to \(SeedHeader.maximumBatch), not '\(entry.value)'", nil)
                valid = false
            }
        }
        if let entry = values["rebuilds"] {
            let names = entry.value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if names.isEmpty || names.contains(where: { $0.isEmpty || !$0.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-" } }) {
                fail(entry.line, "'rebuilds' must be a comma-separated list of projection names, not '\(entry.value)'", nil)
                valid = false
            } else {
                header.rebuilds = names
            }
        }
        return valid ? header : nil
    }
}

/// Every problem found in one seed file.
public struct SeedErrors: ExplainedError, Sendable, Hashable {
    /// The problems, in line order.
    public let errors: [SeedParseError]

    public var summary: String { errors.map(\.summary).joined(separator: "\n") }
    public var remedy: String? { errors.compactMap(\.remedy).first }
    public var exitCode: Int32 { CairnExit.usage }
}
