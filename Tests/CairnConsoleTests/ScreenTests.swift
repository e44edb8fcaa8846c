@testable import CairnConsole
import Foundation
import Testing

@Suite("Screen of cells, widths and themes")
struct ScreenTests {
    @Test("display widths: ASCII 1, CJK and emoji 2, combining marks 0, flags 2, a ZWJ sequence the sum of its parts", arguments: [
        ("a", 1), ("é", 1), ("e\u{301}", 1), ("中", 2), ("한", 2), ("ｱ", 1), ("Ａ", 2), ("😀", 2),
        ("👩‍💻", 4), ("🇩🇪", 2), ("✓", 1), ("❤️", 2), ("─", 1),
    ])
    func widths(text: String, width: Int) {
        #expect(DisplayWidth.of(text) == width)
    }

    @Test("wide characters never break a border: a cut one becomes a space")
    func wideCharactersKeepBorders() {
        var screen = Screen(width: 12, height: 3)
        screen.box(x: 0, y: 0, width: 12, height: 3)
        screen.putTruncated("中文字符测试👩‍💻", x: 1, y: 1, limit: 10)
        #expect(screen.line(1).hasPrefix("│"))
        #expect(screen.line(1).hasSuffix("│"))
        #expect(DisplayWidth.of(screen.line(1)) == 12)
        screen.put("ab中", x: 1, y: 1, limit: 3)
        #expect(DisplayWidth.of(screen.line(1)) == 12)
        #expect(screen.line(1).hasSuffix("│"))
    }

    @Test("a half-done migration is counted as partial in the header; one partly applied counts as runnable, one partly reverted does not")
    func partialMigrationsAreCountedAndRunnableOnlyUp() {
        var snapshot = ConsoleFixtures.snapshot()
        snapshot.migrations[0].state = .partial
        snapshot.migrations[0].partialDirection = "down"
        var state = ConsoleFixtures.state()
        _ = Reducer.reduce(&state, .loaded(snapshot))
        let header = Renderer.render(state).line(0)
        #expect(header.contains("◐1"), "too long for 100 columns in words, the counts are glyphs: \(header)")
        _ = Reducer.reduce(&state, .resized(width: 160, height: 30))
        let wide = Renderer.render(state).line(0)
        #expect(wide.contains("1 partial"), "\(wide)")
        #expect(!snapshot.migrations[0].runnable)
        snapshot.migrations[0].partialDirection = "up"
        #expect(snapshot.migrations[0].runnable)
    }

    @Test("a log message holding newlines is drawn as lines, indented under the first, not as ^J")
    func multiLineLogMessagesAreLines() {
        var state = ConsoleFixtures.state()
        state.log.take(LogState.Line.lines(
            id: 7, time: "12:00:01", level: "error",
            message: "✗ 2026-06-01-x failed at row 3\n  payload: {\"a\":1}\n  fix: exclude this row"), replacing: true)
        #expect(state.log.lines.count == 3)
        #expect(state.log.lastLineId == 7)
        state.view = .log
        let screen = Renderer.render(state)
        let text = (0..<screen.height).map { screen.line($0) }
        #expect(!text.contains { $0.contains("^J") }, "\(text)")
        let first = text.firstIndex { $0.contains("12:00:01 error   ✗ 2026-06-01-x failed at row 3") }
        #expect(first != nil, "\(text)")
        if let first {
            #expect(text[first + 1].contains("                   payload: {\"a\":1}"), "\(text[first + 1])")
            #expect(text[first + 2].contains("  fix: exclude this row"), "\(text[first + 2])")
        }
    }

    @Test("escape sequences and control characters are drawn inert")
    func inert() {
        var screen = Screen(width: 40, height: 1)
        screen.put("a\u{1B}]0;pwned\u{07}b\u{1B}[2Jc\u{9B}d\u{0}e", x: 0, y: 0)
        let line = screen.line(0)
        #expect(!line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(line.hasPrefix("a^[]0;pwned^Gb^[[2Jc<9B>d^@e"))
    }

    @Test("the built-in themes parse, and adapt to 16, 8 and no colours")
    func themes() throws {
        for name in ["default", "light", "high-contrast", "mono"] {
            let theme = try Theme.load(named: name, directories: [])
            #expect(theme.name == name)
            let sixteen = theme.adapted(to: .sixteen)
            #expect(StyleRole.allCases.allSatisfy { (sixteen.spec($0).foreground ?? 0) < 16 && (sixteen.spec($0).background ?? 0) < 16 })
            let eight = theme.adapted(to: .eight)
            #expect(StyleRole.allCases.allSatisfy { (eight.spec($0).foreground ?? 0) < 8 && (eight.spec($0).background ?? 0) < 8 })
            let none = theme.adapted(to: .none)
            #expect(StyleRole.allCases.allSatisfy { none.spec($0).foreground == nil && none.spec($0).background == nil })
            #expect(none.spec(.selection).reverse, "without colour the selection is still visible")
        }
    }

    @Test("theme errors name the file and what is wrong", arguments: [
        ("[roles]\nsparkle = \"red\"", "unknown role 'sparkle'"),
        ("[roles]\napplied = \"chartreuse\"", "unknown colour 'chartreuse'"),
        ("[roles]\napplied = 300", "not in 0–255"),
        ("[roles]\nselection = { fg = \"red\", blink = true }", "unknown key 'blink'"),
        ("colours = 1", "unknown key 'colours'"),
        ("[roles\n", "is not valid TOML"),
    ])
    func themeErrors(text: String, message: String) {
        #expect {
            try Theme.parse(text, path: "themes/bad.toml")
        } throws: { error in
            let theme = error as? ThemeError
            return theme?.summary.hasPrefix("themes/bad.toml: ") == true && theme?.summary.contains(message) == true
        }
    }

    @Test("an unknown theme name lists the available ones")
    func unknownTheme() {
        #expect {
            try Theme.load(named: "neon", directories: ["/nonexistent/themes"])
        } throws: { error in
            (error as? ThemeError)?.remedy?.contains("default, high-contrast, light, mono") == true
        }
    }
}
