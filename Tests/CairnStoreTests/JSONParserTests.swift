import Foundation
import Testing

@testable import CairnStore

/// The store's JSON parser accepts what `JSONDecoder` accepts, with the same values, and refuses
/// what RFC 8259 refuses where `JSONDecoder` is lenient.
@Suite("JSON parser")
struct JSONParserTests {
    /// What `JSONDecoder` makes of `text` through `JSONValue`'s `Decodable` conformance, or nil when it refuses it.
    static func decoded(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    static let accepted = [
        #"{}"#, #"[]"#, #"{"a":1}"#, #" { "a" : [ 1 , 2.5 , -3 , true , false , null ] } "#,
        #""text""#, "0", "-0", "1.5", "-2.25e3", "1E2", "1e-2", "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "1.0", "12345678901234567890123", "0.1",
        #""esc \" \\ \/ \b \f \n \r \t""#, #""\u00e9\u4e2d\ud83d\ude00""#, #""é中😀""#,
        #"{"membershipId":"m-1","roles":["Member","Viewer"],"tenantId":"t-1","userId":"u-1"}"#,
        "\t\n\r [1]\n",
    ]

    static let refused = [
        "", " ", "{", "}", "01", "-", "1.", ".5", "1e", "+1", "NaN", "Infinity",
        "tru", "nul", #""unterminated"#, "\"tab\there\"", #""\x""#, #""\ud800""#, #""\udc00""#,
        #""\ud800\u0041""#, #""\u12""#, "[1] [2]", "{'a':1}", #"{"a" 1}"#, "/* c */ 1", "1e999",
        String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
    ]

    @Test("parses what JSONDecoder parses into the same value", arguments: accepted)
    func parsesLikeJSONDecoder(text: String) throws {
        let expected = try #require(Self.decoded(text), "JSONDecoder should accept \(text)")
        let parsed = try JSONParser.parse(text)
        #expect(parsed == expected)
        #expect(parsed.jsonText == expected.jsonText)
    }

    @Test("refuses what JSONDecoder refuses, naming the problem", arguments: refused)
    func refusesLikeJSONDecoder(text: String) {
        #expect(Self.decoded(text) == nil, "JSONDecoder should refuse \(text.prefix(40))")
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test("a trailing comma is refused, as RFC 8259 and SQLite refuse it, though JSONDecoder lets it through",
          arguments: ["[1,]", #"{"a":1,}"#, #"{"a":[true,],"b":2}"#])
    func trailingCommaRefused(text: String) {
        #expect(Self.decoded(text) != nil)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test("a NUL byte outside strings and a malformed number in a repeated key are refused, though JSONDecoder lets them through",
          arguments: ["0\u{0}\u{0}\u{0}", "\u{0}0", "8\u{0}", #"{"a":1,"a":090}"#])
    func lenientInputsRefused(text: String) {
        #expect(Self.decoded(text) != nil)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test("a member name repeated in one object is refused, naming it, where JSONDecoder and SQLite keep one silently",
          arguments: [#"{"incidentId":"i-z1","incidentId":"i-z2"}"#, #"{"a":{"b":1,"b":1}}"#, #"[{"k":1},{"k":2,"k":3}]"#])
    func repeatedNameRefused(text: String) {
        #expect(Self.decoded(text) != nil)
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
        #expect(error?.description.contains("appears twice in one object") == true, "\(String(describing: error))")
    }

    @Test("an error names what is wrong and the byte where")
    func errorNamesProblemAndOffset() {
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: #"{"a":[1,2,}"#) }
        #expect(error?.description.contains("at byte 10") == true)
        #expect(error?.description.contains("not valid JSON") == true)
    }

    @Test("nesting up to the limit parses; one level more is refused")
    func nestingLimit() throws {
        let deepest = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: JSONParser.maximumDepth)
        _ = try JSONParser.parse(deepest)
        let tooDeep = "[" + deepest + "]"
        #expect(throws: (any Error).self) { try JSONParser.parse(tooDeep) }
    }

    /// Texts short enough to live inside the string value and long ones on the heap, with the
    /// NUL at the start, in the middle, at the end, after non-ASCII text, or nowhere.
    static let nulPlacements: [(text: String, holds: Bool)] = [
        ("", false), ("a", false), ("\u{0}", true), ("\u{0}abc", true), ("ab\u{0}c", true), ("abc\u{0}", true),
        ("é中😀", false), ("é中\u{0}😀", true), (String(repeating: "x", count: 15), false),
        (String(repeating: "x", count: 15) + "\u{0}", true), (String(repeating: "y", count: 4_000), false),
        (String(repeating: "y", count: 4_000) + "\u{0}", true), ("\u{0}" + String(repeating: "y", count: 4_000), true),
        (String(repeating: "é", count: 300) + "\u{0}" + String(repeating: "é", count: 300), true),
    ]

    @Test("a NUL is found wherever it is in short and long text, and in text bridged from NSString",
          arguments: nulPlacements)
    func nulIsFoundAnywhereInText(_ placement: (text: String, holds: Bool)) {
        #expect(placement.text.holdsNUL == placement.holds)
        #expect(placement.text[...].holdsNUL == placement.holds)
        #expect(String(NSString(string: placement.text)).holdsNUL == placement.holds)
        #expect(JSONValue.object(["k": .string(placement.text)]).pathOfNUL() == (placement.holds ? "k" : nil))
    }

    @Test("strings are written escaped exactly where JSON needs it, short or long, and read back the same",
          arguments: ["plain", "quote \" inside", "back\\slash", "tab\there", "del\u{7F}", "é中😀", "\u{1F}",
                      String(repeating: "p", count: 2_000), String(repeating: "p", count: 2_000) + "\"",
                      "\n" + String(repeating: "q", count: 40)])
    func stringsAreWrittenEscapedWhereJSONNeedsIt(_ text: String) throws {
        let written = JSONValue.string(text).jsonText
        #expect(try JSONParser.parse(written) == .string(text))
        #expect(written.utf8.dropFirst().dropLast().allSatisfy { $0 >= 0x20 })
        let plain = text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }
        if plain { #expect(written == "\"" + text + "\"") }
        if text.contains("\"") || text.contains("\\") || text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            #expect(written != "\"" + text + "\"")
        }
    }
    /// `value` written with its keys in `String` order, the way the store writes JSON, independently of it.
    static func sortedText(_ value: JSONValue) -> String {
        switch value {
        case .object(let members):
            return "{" + members.keys.sorted().map { "\"\($0)\":" + sortedText(members[$0]!) }.joined(separator: ",") + "}"
        case .array(let elements):
            return "[" + elements.map(sortedText).joined(separator: ",") + "]"
        case .string(let text):
            return "\"" + text + "\""
        case .int(let number):
            return "\(number)"
        default:
            return value.jsonText
        }
    }

    @Test("objects are written with their keys in String order at every depth, from none to hundreds of members",
          arguments: [0, 1, 2, 3, 7, 16, 40, 300])
    func objectKeysAreWrittenInOrder(_ count: Int) throws {
        let names = ["a", "B", "é", "Z", "ä", "ß", "10", "9", "", "membershipId", "roles", "tenantId", "userId", "中", "a b"]
        var members: [String: JSONValue] = [:]
        for index in 0..<count {
            let key = names[index % names.count] + (index < names.count ? "" : "-\(index)")
            members[key] = index % 4 == 0 ? .object(["z": .int(Int64(index)), "y": .array([.string("v"), .object(["q": 1, "p": 2])])])
                : .string("value \(index)")
        }
        let value = JSONValue.object(members)
        let written = value.jsonText
        #expect(written == Self.sortedText(value))
        #expect(try JSONParser.parse(written) == value)
    }
}
