/// A command payload: a JSON object with typed accessors whose errors name the field.
public struct Payload: Sendable, Hashable {
    /// The payload's members.
    public var fields: [String: JSONValue]

    /// Wraps members that are already parsed.
    public init(_ fields: [String: JSONValue]) {
        self.fields = fields
    }

    /// Parses JSON text that must hold an object.
    ///
    /// - Throws: `HandlerRejection` saying the payload is not JSON or not an object.
    public init(parsing text: String) throws {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: text)
        } catch let error as JSONParseError {
            throw HandlerRejection(field: nil, reason: "payload is \(error)")
        }
        guard case .object(let members) = value else {
            throw HandlerRejection(field: nil, reason: "payload must be a JSON object, got \(value.kindDescription)")
        }
        self.fields = members
    }

    /// The payload as compact JSON text with sorted keys.
    public var jsonText: String { JSONValue.object(fields).jsonText }

    /// The member named `name`, or nil when absent.
    public subscript(name: String) -> JSONValue? { fields[name] }

    /// A required, non-empty string member.
    public func string(_ name: String) throws -> String {
        guard let value = fields[name], value != .null else { throw HandlerRejection.missing(name) }
        guard case .string(let string) = value else {
            throw HandlerRejection(field: name, reason: "should be a string, got \(value.kindDescription)")
        }
        guard !string.isEmpty else { throw HandlerRejection(field: name, reason: "must not be empty") }
        return string
    }

    /// An optional string member: nil when absent or null.
    public func optionalString(_ name: String) throws -> String? {
        guard let value = fields[name], value != .null else { return nil }
        return try string(name)
    }

    /// A required array of strings.
    public func strings(_ name: String) throws -> [String] {
        guard let value = fields[name], value != .null else { throw HandlerRejection.missing(name) }
        guard case .array(let elements) = value else {
            throw HandlerRejection(field: name, reason: "should be an array of strings, got \(value.kindDescription)")
        }
        return try elements.enumerated().map { index, element in
            guard case .string(let string) = element else {
                throw HandlerRejection(
                    field: name, reason: "element \(index) should be a string, got \(element.kindDescription)")
            }
            return string
        }
    }

    /// A required integer member.
    public func int(_ name: String) throws -> Int64 {
        guard let value = fields[name], value != .null else { throw HandlerRejection.missing(name) }
        guard case .int(let number) = value else {
            throw HandlerRejection(field: name, reason: "should be an integer, got \(value.kindDescription)")
        }
        return number
    }
}

extension Payload: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.fields = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }
}
