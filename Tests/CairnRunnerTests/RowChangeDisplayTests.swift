import CairnRunner
import CairnStore
import Testing

@Suite("Row change display")
struct RowChangeDisplayTests {
    @Test("strings are quoted with invisibles written out; compact JSON text, numbers and null are shown as they are")
    func valuesShowWhatDiffers() {
        #expect(RowChange.display(.string("The Winter ")) == #""The Winter ""#)
        #expect(RowChange.display(.string(#"["Admin"]"#)) == #"["Admin"]"#)
        // JSON text that is not in its compact form could hide a space: quoted.
        #expect(RowChange.display(.string(#"[ "Admin"]"#)) == #""[ \"Admin\"]""#)
        #expect(RowChange.display(.string("[not json")) == #""[not json""#)
        #expect(RowChange.display(.int(42)) == "42")
        #expect(RowChange.display(.null) == "null")
        #expect(RowChange.display(.string("")) == #""""#)
        #expect(RowChange.display(.string("\u{1B}]0;title\u{07}")) == #""\u{1B}]0;title\u{7}""#)
    }
}
