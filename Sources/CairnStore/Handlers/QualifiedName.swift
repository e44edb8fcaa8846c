/// The qualified name of a command handler: `context:write:kebab-verb`.
///
/// Both the context and the verb are lower-case kebab-case words, for example
/// `tenant:write:update-member-roles`.
public struct QualifiedName: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The bounded context, e.g. `tenant`.
    public let context: String
    /// The verb, e.g. `update-member-roles`.
    public let verb: String

    /// Parses and validates a qualified name.
    ///
    /// - Throws: `QualifiedNameError` saying what is malformed and how the name should look.
    public init(_ text: String) throws {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, parts[1] == "write",
              QualifiedName.isKebabWord(parts[0]), QualifiedName.isKebabWord(parts[2]) else {
            throw QualifiedNameError(text: text)
        }
        self.context = parts[0]
        self.verb = parts[2]
    }

    /// Creates a name from a literal known to be valid; traps on a malformed literal.
    public init(validated text: StaticString) {
        do {
            try self.init(text.description)
        } catch {
            preconditionFailure("\(error)")
        }
    }

    public var description: String { "\(context):write:\(verb)" }

    public static func < (lhs: QualifiedName, rhs: QualifiedName) -> Bool {
        lhs.description < rhs.description
    }

    /// True when `word` is lower-case kebab-case: `a-z0-9` words joined by single dashes.
    public static func isKebabWord(_ word: String) -> Bool {
        guard let first = word.unicodeScalars.first, ("a"..."z").contains(first),
              !word.hasSuffix("-"), !word.contains("--") else { return false }
        return word.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}

/// The error for a handler name that is not of the form `context:write:kebab-verb`.
public struct QualifiedNameError: ExplainedError, Sendable {
    /// The malformed name.
    public let text: String

    /// A kebab-case spelling of the name, when one can be derived (`updateMemberRoles` → `update-member-roles`).
    public var suggestion: String? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else { return nil }
        let fixed = [kebab(parts[0]), "write", kebab(parts[2])].joined(separator: ":")
        return fixed != text && (try? QualifiedName(fixed)) != nil ? fixed : nil
    }

    public var summary: String { description }

    public var remedy: String? {
        suggestion.map { "write it as \($0)" } ?? "name handlers context:write:kebab-verb, e.g. tenant:write:update-member-roles"
    }

    public var exitCode: Int32 { CairnExit.usage }

    public var description: String {
        var message = "'\(text)' is not a handler name of the form context:write:kebab-verb"
            + " (for example tenant:write:update-member-roles)"
        if let suggestion { message += "; did you mean '\(suggestion)'?" }
        return message
    }

    private func kebab(_ word: String) -> String {
        var result = ""
        for character in word {
            if character.isUppercase {
                if !result.isEmpty && !result.hasSuffix("-") { result += "-" }
                result += character.lowercased()
            } else if character == "_" || character == " " {
                result += "-"
            } else {
                result.append(character)
            }
        }
        return result
    }
}
