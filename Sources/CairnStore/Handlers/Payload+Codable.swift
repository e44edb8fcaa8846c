import Foundation

extension Payload {
    /// Builds a payload from an `Encodable` value whose JSON form is an object.
    ///
    /// The value is encoded with Foundation's `JSONEncoder` and read back with Cairn's
    /// strict parser, so what a handler appends is exactly what `Payload(parsing:)` accepts:
    /// no NaN or infinity, integers kept apart from fractions, keys sorted when stored.
    ///
    /// - Throws: `HandlerRejection` when the value does not encode to a JSON object
    ///   (a bare string or array, a non-finite `Double`).
    public init(encoding value: some Encodable) throws {
        let data: Data
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            data = try encoder.encode(value)
        } catch {
            throw HandlerRejection(field: nil, reason: "payload cannot be encoded as JSON: \(Payload.describe(error))")
        }
        try self.init(parsing: String(decoding: data, as: UTF8.self))
    }

    /// Decodes the payload into a `Decodable` type, e.g. a command's or an event's struct.
    ///
    /// A member of the wrong type or a missing required member is a `HandlerRejection`
    /// naming the field (`payload field 'loan.dueDate' is required`), so a seed row that
    /// fails to decode says what to change. Unknown members are ignored, as `JSONDecoder` does.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(jsonText.utf8))
        } catch let error as DecodingError {
            throw Payload.rejection(for: error)
        }
    }

    /// The rejection that names the field a `DecodingError` is about.
    static func rejection(for error: DecodingError) -> HandlerRejection {
        func path(_ codingPath: [any CodingKey]) -> String? {
            let parts = codingPath.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }
            guard !parts.isEmpty else { return nil }
            return parts.enumerated().map { index, part in
                index == 0 || part.hasPrefix("[") ? part : ".\(part)"
            }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context):
            return HandlerRejection(field: path(context.codingPath + [key]), reason: "is required")
        case .valueNotFound(let type, let context):
            return HandlerRejection(field: path(context.codingPath), reason: "should be \(describe(type)), got null")
        case .typeMismatch(let type, let context):
            return HandlerRejection(field: path(context.codingPath), reason: "should be \(describe(type))")
        case .dataCorrupted(let context):
            return HandlerRejection(field: path(context.codingPath), reason: "is not valid: \(context.debugDescription)")
        @unknown default:
            return HandlerRejection(field: nil, reason: "payload cannot be decoded: \(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a \(name)"
        }
    }

    private static func describe(_ error: any Error) -> String {
        if case EncodingError.invalidValue(let value, let context) = error {
            return "\(value) is not valid JSON" + (context.codingPath.isEmpty ? "" : " at \(context.codingPath.map(\.stringValue).joined(separator: "."))")
        }
        return String(describing: error)
    }
}

extension NewEvent {
    /// An event whose payload is an `Encodable` value (see `Payload(encoding:)`).
    public init(type: String, encoding value: some Encodable, schemaVersion: Int? = nil) throws {
        self.init(type: type, payload: try Payload(encoding: value), schemaVersion: schemaVersion)
    }
}

extension StoredEvent {
    /// Decodes the event's payload (after upcasting) into a `Decodable` type.
    ///
    /// - Throws: `HandlerRejection` naming the field that does not fit.
    public func decodePayload<T: Decodable>(as type: T.Type = T.self) throws -> T {
        try payloadObject().decode(T.self)
    }
}
