/// One value bound into, or read out of, a read-model statement, in the same
/// shape on every store: NULL, an integer, a real, text or bytes.

public enum SQLValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])

    /// The text, or nil for another kind of value.
    public var string: String? {
        if case .text(let text) = self { return text }
        return nil
    }

    /// The integer, or nil for another kind of value.
    public var int: Int64? {
        if case .int(let value) = self { return value }
        return nil
    }

    /// The number as a double (an integer too), or nil for another kind of value.
    public var double: Double? {
        switch self {
        case .double(let value): return value
        case .int(let value): return Double(value)
        default: return nil
        }
    }

    /// True for NULL.
    public var isNull: Bool { self == .null }

    public var description: String {
        switch self {
        case .null: return "NULL"
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .text(let text): return "'\(text)'"
        case .blob(let bytes): return "x'\(bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined())'"
        }
    }
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .int(value ? 1 : 0) }
    public init(nilLiteral: ()) { self = .null }
}
