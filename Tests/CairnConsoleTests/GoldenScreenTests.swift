@testable import CairnConsole
import Foundation
import Testing

/// Compares rendered screens with text files in Golden/; `CAIRN_RECORD_GOLDEN=1` re-records them.
@Suite("Golden screens")
struct GoldenScreenTests {
    static let sizes = [(100, 30), (80, 24)]

    static func check(_ name: String, sizes: [(Int, Int)] = sizes, _ make: (Int, Int) -> ConsoleState) throws {
        for (width, height) in sizes {
            let text = Renderer.render(make(width, height)).text() + "\n"
            let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("Golden/\(name)-\(width)x\(height).txt")
            if ProcessInfo.processInfo.environment["CAIRN_RECORD_GOLDEN"] == "1" {
                try text.write(to: file, atomically: true, encoding: .utf8)
                continue
            }
            let expected = try String(contentsOf: file, encoding: .utf8)
            #expect(text == expected, "\(name) at \(width)×\(height) differs from Golden/\(file.lastPathComponent):\n\(text)")
            for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                #expect(DisplayWidth.of(String(line)) == width, "every line fills exactly \(width) cells: \(line)")
            }
        }
    }

    @Test("the migration list with every state")
    func migrationList() throws {
        try Self.check("migrations") { ConsoleFixtures.state(width: $0, height: $1) }
    }

    @Test("a failed migration's detail")
    func detail() throws {
        try Self.check("detail") { width, height in
            var state = ConsoleFixtures.state(width: width, height: height)
            state.press(.down, .down, .down, .tab)
            return state
        }
    }

    @Test("the dry-run diff of fix-admin-roles")
    func dryRunDiff() throws {
        try Self.check("dry-run") { width, height in
            var state = ConsoleFixtures.state(width: width, height: height)
            state.press(.character("G"), .up)
            _ = Reducer.reduce(&state, .previewLoaded(id: "2026-05-20-fix-admin-roles", result: .success(ConsoleFixtures.preview())))
            return state
        }
    }

    @Test("the runs view with a failed boot")
    func runs() throws {
        try Self.check("runs") { width, height in
            var state = ConsoleFixtures.state(width: width, height: height)
            state.press(.character("2"))
            return state
        }
    }

    @Test("the log of a failed boot, following")
    func logFollowing() throws {
        try Self.check("log") { width, height in
            var state = ConsoleFixtures.state(width: width, height: height)
            state.view = .log
            return state
        }
    }

    @Test("the help overlay")
    func help() throws {
        try Self.check("help") { width, height in
            var state = ConsoleFixtures.state(width: width, height: height)
            state.press(.character("?"))
            return state
        }
    }

    @Test("a confirm dialog for skip")
    func confirm() throws {
        try Self.check("confirm") { width, height in
            var state = ConsoleFixtures.state(width: width, height: height)
            state.press(.character("G"), .up, .character("s"))
            state.type("wrong roles in staging")
            return state
        }
    }

    @Test("the projections view with a stale projection")
    func projections() throws {
        try Self.check("projections") { width, height in
            var state = ConsoleFixtures.state(width: width, height: height)
            state.press(.character("4"), .down)
            return state
        }
    }

    @Test("too small")
    func tooSmall() throws {
        for (width, height) in [(50, 12), (59, 30), (100, 15)] {
            let text = Renderer.render(ConsoleFixtures.state(width: width, height: height)).text()
            #expect(text.contains("terminal too small"))
            #expect(text.contains("cairn needs at least 60×16"))
        }
        try Self.check("too-small", sizes: [(50, 12)]) { ConsoleFixtures.state(width: $0, height: $1) }
    }
}
