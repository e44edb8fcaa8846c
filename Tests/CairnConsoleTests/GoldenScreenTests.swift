@testable import CairnConsole
import Foundation
import Testing

/// Compares rendered screens with text files in Golden/; `CAIRN_RECORD_GOLDEN=1` re-records them.
///
/// A golden holds the screen's text, then the role of every cell (one letter per cell,
/// `.` for normal text, legend below), then which pane has the keys: a screen whose
/// colours, selection or focus changed differs from its golden even when its text did not.
@Suite("Golden screens")
struct GoldenScreenTests {
    static let sizes = [(100, 30), (80, 24)]

    /// The letter of each role in the role grid.
    static let letters: [StyleRole: Character] = {
        var letters: [StyleRole: Character] = [.normal: "."]
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        for (index, role) in StyleRole.allCases.filter({ $0 != .normal }).enumerated() { letters[role] = alphabet[index] }
        return letters
    }()

    /// The golden text of a state: the screen, its roles, the legend and the focus.
    static func golden(_ state: ConsoleState) -> String {
        let screen = Renderer.render(state)
        var used = Set<StyleRole>()
        var grid: [String] = []
        for y in 0..<screen.height {
            var row = ""
            for x in 0..<screen.width {
                let role = screen[x, y].role
                used.insert(role)
                row.append(letters[role]!)
            }
            grid.append(row)
        }
        let legend = StyleRole.allCases.filter(used.contains).map { "\(letters[$0]!) \($0.rawValue)" }.joined(separator: " · ")
        let focus = state.modal != nil ? "dialog" : state.input != nil ? "input line" : state.view == .log ? "log" : "\(state.focus)"
        return screen.text() + "\n── roles ──\n" + grid.joined(separator: "\n") + "\n── legend: \(legend)\n── focus: \(focus)\n"
    }

    static func check(_ name: String, sizes: [(Int, Int)] = sizes, _ make: (Int, Int) -> ConsoleState) throws {
        for (width, height) in sizes {
            let full = golden(make(width, height))
            let text = full
            let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("Golden/\(name)-\(width)x\(height).txt")
            if ProcessInfo.processInfo.environment["CAIRN_RECORD_GOLDEN"] == "1" {
                try text.write(to: file, atomically: true, encoding: .utf8)
                continue
            }
            let expected = try String(contentsOf: file, encoding: .utf8)
            #expect(text == expected, "\(name) at \(width)×\(height) differs from Golden/\(file.lastPathComponent):\n\(text)")
            for line in Renderer.render(make(width, height)).text().split(separator: "\n", omittingEmptySubsequences: false) {
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

    @Test("a repair dialog on a protected environment: reason typed, the name still to type, Cancel the default")
    func repairDialog() throws {
        try Self.check("repair") { width, height in
            var state = ConsoleFixtures.state(width: width, height: height, protected: true)
            state.press(.character("g"), .character("g"), .down, .character("a"))
            state.type("comment added after review")
            state.press(.tab)
            return state
        }
    }

    @Test("a retired migration in the list, and how it was retired in its detail")
    func retired() throws {
        try Self.check("retired") { width, height in
            var snapshot = ConsoleFixtures.snapshot()
            snapshot.migrations[0].state = .retired
            snapshot.migrations[0].recovery = "retired 2026-06-01T10:00:00.000Z by ops@web-1: folded into the tenant setup · run 50"
            snapshot.migrations[0].appliedAt = "2026-03-15T09:00:00.000Z"
            var state = ConsoleFixtures.state(width: width, height: height)
            _ = Reducer.reduce(&state, .loaded(snapshot))
            state.press(.character("g"), .character("g"))
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

    @Test("a lock held by another process: the banner names holder, pid, host, run and heartbeat, in the danger role")
    func lockBanner() throws {
        try Self.check("lock-banner") { width, height in
            var state = ConsoleFixtures.state(width: width, height: height)
            var snapshot = state.snapshot!
            snapshot.lock = Snapshot.Lock(holder: "cairn up (cli)", host: "web-2", pid: 4242, runId: 44,
                                          heartbeatAt: "2026-05-20T12:05:00Z", staleReason: nil, heartbeatAge: 3)
            _ = Reducer.reduce(&state, .loaded(snapshot))
            state.job = ConsoleState.Job(title: "running 2026-05-20-fix-admin-roles",
                                         progress: "waiting for the lock held by cairn up (cli) · pid 4242 on web-2 (4 of 10 s)")
            state.notice = .init(text: "run next: a job is running: press c to cancel it first", isError: true)
            return state
        }
    }

    @Test("the full preview with the detail focused: counts per section, payloads, fields, the cursor and the position")
    func fullPreviewFocused() throws {
        try Self.check("preview-focused") { width, height in
            var state = ConsoleFixtures.state(width: width, height: height)
            state.press(.character("G"), .up)
            _ = Reducer.reduce(&state, .previewLoaded(id: "2026-05-20-fix-admin-roles", result: .success(ConsoleFixtures.preview())))
            state.press(.tab, .character("/"))
            state.type("m-23")
            state.press(.enter)
            return state
        }
    }

    @Test("an event opened whole from the preview: pretty-printed payload in a viewer")
    func eventViewer() throws {
        try Self.check("viewer") { width, height in
            var state = ConsoleFixtures.state(width: width, height: height)
            state.press(.character("G"), .up)
            _ = Reducer.reduce(&state, .previewLoaded(id: "2026-05-20-fix-admin-roles", result: .success(ConsoleFixtures.preview())))
            state.press(.tab, .character("/"))
            state.type("+ tenant-membership")
            state.press(.enter, .enter)
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
