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

    /// A required integer member, as `Int`.
    ///
    /// - Throws: `HandlerRejection` when it is absent, not an integer (`2.5`, `"2"`) or out of `Int`'s range.
    public func int(_ name: String) throws -> Int {
        let number = try int64(name)
        guard let value = Int(exactly: number) else {
            throw HandlerRejection(field: name, reason: "is out of range: \(number)")
        }
        return value
    }

    /// A required integer member, as `Int64` (the width events store).
    public func int64(_ name: String) throws -> Int64 {
        guard let value = fields[name], value != .null else { throw HandlerRejection.missing(name) }
        guard case .int(let number) = value else {
            throw HandlerRejection(field: name, reason: "should be an integer, got \(value.kindDescription)")
        }
        return number
    }

    /// An optional integer member: nil when absent or null.
    public func optionalInt(_ name: String) throws -> Int? {
        guard let value = fields[name], value != .null else { return nil }
        return try int(name)
    }

    /// A required number member as `Double`; an integer is accepted (`3` is `3.0`).
    public func double(_ name: String) throws -> Double {
        guard let value = fields[name], value != .null else { throw HandlerRejection.missing(name) }
        switch value {
        case .double(let number): return number
        case .int(let number): return Double(number)
        default: throw HandlerRejection(field: name, reason: "should be a number, got \(value.kindDescription)")
        }
    }

    /// A required boolean member: `true` or `false`, never `1` or `"yes"`.
    public func bool(_ name: String) throws -> Bool {
        guard let value = fields[name], value != .null else { throw HandlerRejection.missing(name) }
        guard case .bool(let flag) = value else {
            throw HandlerRejection(field: name, reason: "should be true or false, got \(value.kindDescription)")
        }
        return flag
    }

    /// An optional boolean member: nil when absent or null.
    public func optionalBool(_ name: String) throws -> Bool? {
        guard let value = fields[name], value != .null else { return nil }
        return try bool(name)
    }
}

extension Payload: ExpressibleByDictionaryLiteral {
    /// A payload of the literal's members; a key written twice keeps its last value.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        // Sized once and filled in place: `Dictionary(_:uniquingKeysWith:)` went through a closure per member.
        var fields = [String: JSONValue](minimumCapacity: elements.count)
        for (key, value) in elements { fields[key] = value }
        self.fields = fields
    }
}
