/// A strict RFC 8259 parser from UTF-8 bytes to `JSONValue`.
///
/// The store parses every payload it reads — candidate rows, loaded streams,
/// rebuilt events — and `JSONDecoder` with a `Decodable` enum spent a quarter of a
/// migration's time probing each value's kind with failed decodes (see
/// docs/PERFORMANCE.md). This parser reads the bytes once.
///
/// It accepts what `JSONDecoder` accepts: top-level scalars, `\u` escapes with
/// surrogate pairs (a lone surrogate is an error), at most 512 levels of nesting;
/// no comments, leading zeros or control characters in strings. Where
/// `JSONDecoder` is lenient it refuses, as RFC 8259 and SQLite's `json_valid` do
/// (the differential fuzzer found these): a trailing comma (`[1,]`), a NUL byte
/// outside a string, a malformed number in a repeated key that `JSONDecoder`
/// skips. Integers that fit `Int64` stay integers; other numbers become doubles.
/// A key that appears twice keeps its first value, as with `JSONDecoder` and
/// `json_extract`. `JSONParserTests` and the fuzz target compare the two parsers.
struct JSONParser {
    /// The deepest nesting of arrays and objects accepted, as `JSONDecoder`'s limit.
    static let maximumDepth = 512

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Parses `text` as one JSON value, surrounded by optional whitespace.
    ///
    /// - Throws: `JSONParseError` naming the problem and its byte offset.
    static func parse(_ text: String) throws -> JSONValue {
        var text = text
        return try text.withUTF8 { buffer in
            var parser = JSONParser(bytes: buffer)
            parser.skipWhitespace()
            let value = try parser.value()
            parser.skipWhitespace()
            guard parser.index == buffer.count else {
                throw parser.fail("unexpected text after the value")
            }
            return value
        } as JSONValue
    }

    private struct Failure: Error {
        let reason: String
        let offset: Int
    }

    private var atEnd: Bool { index >= bytes.count }
    private var current: UInt8 { bytes[index] }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func fail(_ reason: String) -> Failure {
        Failure(reason: reason, offset: index)
    }

    private mutating func value() throws -> JSONValue {
        guard !atEnd else { throw fail("unexpected end of text") }
        switch current {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw fail("unexpected character")
        }
    }

    private mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw fail("unexpected end of text") }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
            throw fail("unexpected character")
        }
        index += count
    }

    private mutating func nest() throws {
        depth += 1
        guard depth <= Self.maximumDepth else { throw fail("nested deeper than \(Self.maximumDepth) levels") }
    }

    private mutating func object() throws -> JSONValue {
        try nest()
        index += 1
        var members = [String: JSONValue](minimumCapacity: 6)
        skipWhitespace()
        if !atEnd, current == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard !atEnd else { throw fail("unexpected end of text") }
            guard current == UInt8(ascii: "\"") else { throw fail("expected a member name in quotes") }
            let key = try string()
            skipWhitespace()
            guard !atEnd, current == UInt8(ascii: ":") else { throw fail("expected ':' after a member name") }
            index += 1
            skipWhitespace()
            let at = index
            let member = try value()
            // RFC 8259 leaves repeated names to the reader; keeping either would silently drop the other.
            guard members.updateValue(member, forKey: key) == nil else {
                index = at
                throw fail("the member name \"\(key.visibleControls.truncatedForDisplay(40))\" appears twice in one object")
            }
            skipWhitespace()
            guard !atEnd else { throw fail("unexpected end of text") }
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return .object(members)
            default: throw fail("expected ',' or '}' in an object")
            }
        }
    }

    private mutating func array() throws -> JSONValue {
        try nest()
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if !atEnd, current == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try value())
            skipWhitespace()
            guard !atEnd else { throw fail("unexpected end of text") }
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return .array(elements)
            default: throw fail("expected ',' or ']' in an array")
            }
        }
    }

    /// Reads a string starting at its opening quote; the common case without escapes is one copy.
    private mutating func string() throws -> String {
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw fail("control character in a string") }
            index += 1
        }
        guard index < bytes.count else { throw fail("unterminated string") }
        var scalars = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: scalars, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw fail("unterminated string") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escape)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    let scalar = try unicodeEscape()
                    scalars.append(contentsOf: String(Character(scalar)).utf8)
                default:
                    index -= 1
                    throw fail("invalid escape sequence")
                }
            default:
                guard byte >= 0x20 else { throw fail("control character in a string") }
                scalars.append(byte)
                index += 1
            }
        }
        throw fail("unterminated string")
    }

    /// Reads the hex digits after `\u` (and a following low surrogate) as one scalar.
    private mutating func unicodeEscape() throws -> Unicode.Scalar {
        let first = try hexQuad()
        if (0xD800...0xDBFF).contains(first) {
            guard bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw fail("high surrogate without a low surrogate")
            }
            index += 2
            let second = try hexQuad()
            guard (0xDC00...0xDFFF).contains(second) else { throw fail("high surrogate without a low surrogate") }
            let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            return Unicode.Scalar(value)!
        }
        guard let scalar = Unicode.Scalar(first) else { throw fail("low surrogate without a high surrogate") }
        return scalar
    }

    private mutating func hexQuad() throws -> UInt32 {
        guard bytes.count - index >= 4 else { throw fail("unterminated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("invalid hex digit in a \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// Reads a number: an `Int64` when it is an integer literal that fits, else a double.
    private mutating func number() throws -> JSONValue {
        let start = index
        var isInteger = true
        if current == UInt8(ascii: "-") { index += 1 }
        guard !atEnd, isDigit(current) else { throw fail("a number needs digits") }
        if current == UInt8(ascii: "0") {
            index += 1
            if !atEnd, isDigit(current) { throw fail("a number must not start with 0") }
        } else {
            while !atEnd, isDigit(current) { index += 1 }
        }
        if !atEnd, current == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard !atEnd, isDigit(current) else { throw fail("a fraction needs digits") }
            while !atEnd, isDigit(current) { index += 1 }
        }
        if !atEnd, current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if !atEnd, current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard !atEnd, isDigit(current) else { throw fail("an exponent needs digits") }
            while !atEnd, isDigit(current) { index += 1 }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .int(integer) }
        guard let double = Double(text), double.isFinite else { throw fail("number out of range: \(text.truncatedForDisplay(24)) is beyond what a double holds (about ±1.8e308)") }
        // A literal like 1.0 or 1e2 is the integer it equals, as with JSONDecoder, within
        // the range where a double holds every integer (below 2^53). Past it, JSONDecoder
        // sometimes keeps a double and sometimes an integer; the value is the same double.
        if double == double.rounded(), abs(double) < 9_007_199_254_740_992, let exact = Int64(exactly: double) {
            return .int(exact)
        }
        return .double(double)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}

extension JSONParser {
    /// Parses `text`, turning failures into the store's `JSONParseError`.
    static func parseValue(_ text: String) throws -> JSONValue {
        do {
            return try parse(text)
        } catch let failure as Failure {
            throw JSONParseError(text: text, reason: "\(failure.reason) at byte \(failure.offset)", offset: failure.offset)
        }
    }
}
