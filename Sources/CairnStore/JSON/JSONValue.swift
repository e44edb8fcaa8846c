import Foundation

/// A JSON value as stored in event payloads and metadata.
///
/// Integers and floating-point numbers are kept apart so that ids and counters
/// survive a round trip unchanged. Object keys are serialised in sorted order,
/// so the same value always produces the same text.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue {
    /// Parses JSON text into a value.
    ///
    /// - Throws: `JSONParseError` naming the problem when the text is not JSON.
    public init(parsing text: String) throws {
        self = try JSONParser.parseValue(text)
    }

    /// The object's members when this is an object, else nil.
    public var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The string when this is a string, else nil.
    public var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    /// The elements when this is an array, else nil.
    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The number as an integer when this is an integer, else nil.
    public var intValue: Int64? {
        if case .int(let number) = self { return number }
        return nil
    }

    /// A short name of the value's kind, for error messages ("a string", "an array").
    public var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// The error thrown when text that should be JSON is not.
public struct JSONParseError: ExplainedError, Sendable {
    /// The text that failed to parse, shortened for messages.
    public let text: String
    /// What the parser reported.
    public let reason: String
    /// The byte offset in `text` where the parser stopped, when known.
    public var offset: Int? = nil

    public var description: String { summary }

    public var summary: String {
        isBeyondLimits
            ? "JSON beyond what Cairn keeps (\(reason)): \(text.truncatedForDisplay(80))"
            : "not valid JSON (\(reason)): \(text.truncatedForDisplay(80))"
    }

    public var remedy: String? {
        isBeyondLimits
            ? "keep numbers within a double's range and objects and arrays nested at most \(JSONParser.maximumDepth) deep;"
                + " send a huge number as a string"
            : "write strict RFC 8259 JSON, as SQLite's json_object does"
    }

    /// True when the text is well-formed JSON that Cairn still refuses: a number no double holds,
    /// or nesting deeper than the parser goes.
    public var isBeyondLimits: Bool { reason.hasPrefix("number out of range") || reason.hasPrefix("nested deeper") }

    public var exitCode: Int32 { CairnExit.usage }
}
