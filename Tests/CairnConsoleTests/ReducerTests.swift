@testable import CairnConsole
import CairnRunner
import Testing

@Suite("Console reducer")
struct ReducerTests {
    @Test("j/k and arrows move the selection, clamped to the list; g g and G jump to the ends")
    func navigation() {
        var state = ConsoleFixtures.state()
        #expect(state.selectedMigration?.id == "2026-05-12-backfill-severity", "the console opens on the failed migration")
        state.press(.character("g"), .character("g"))
        #expect(state.selectedMigration?.id == "2026-03-15-old-cleanup")
        state.press(.character("j"), .down)
        #expect(state.selection[.migrations] == 2)
        state.press(.character("G"))
        #expect(state.selection[.migrations] == 5)
        state.press(.character("j"))
        #expect(state.selection[.migrations] == 5)
        state.press(.character("g"))
        #expect(state.selection[.migrations] == 5, "a lone g waits for the second key")
        state.press(.character("g"))
        #expect(state.selection[.migrations] == 0)
        state.press(.character("k"), .up)
        #expect(state.selection[.migrations] == 0)
    }

    @Test("selecting a pending migration asks for its candidate count; an applied one for the events it wrote")
    func selectionLoadsDetail() {
        var state = ConsoleFixtures.state()
        state.candidates = [:]
        var effects = state.press(.character("G"), .up)
        #expect(effects.contains(.countCandidates("2026-05-20-fix-admin-roles")))
        effects = state.press(.character("g"), .character("g"), .down, .down)
        #expect(effects.contains(.loadEvents("2026-05-01-initial-tenants", after: 0)))
    }

    @Test("/ filters the list as you type; enter keeps the filter, esc clears it")
    func filtering() {
        var state = ConsoleFixtures.state()
        state.press(.character("/"))
        #expect(state.input?.purpose == .filter)
        state.type("admin")
        #expect(state.visibleMigrations.map(\.id) == ["2026-05-20-fix-admin-roles"])
        state.press(.enter)
        #expect(state.input == nil)
        #expect(state.selectedMigration?.id == "2026-05-20-fix-admin-roles")
        state.press(.escape)
        #expect(state.visibleMigrations.count == 6)
        state.press(.character("/"))
        state.type("fail")
        state.press(.escape)
        #expect(state.filters[.migrations] == nil)
        #expect(state.visibleMigrations.count == 6)
    }

    @Test("a writing action opens a confirmation focused on Cancel: enter cancels, nothing runs")
    func confirmationDefaultsToCancel() {
        var state = ConsoleFixtures.state()
        state.snapshot?.blocked = false
        let effects = state.press(.character("r"))
        #expect(effects.isEmpty)
        guard case .confirm(let confirmation)? = state.modal else {
            Issue.record("expected a confirmation")
            return
        }
        #expect(confirmation.focus == .cancel)
        #expect(confirmation.action == .runNext("2026-05-12-backfill-severity"))
        #expect(state.press(.enter).isEmpty)
        #expect(state.modal == nil)
        #expect(state.job == nil)
        state.press(.character("r"), .right)
        #expect(state.press(.enter) == [.write(.runNext("2026-05-12-backfill-severity"))])
        #expect(state.job?.title == "running 2026-05-12-backfill-severity")
        state.press(.character("c"))
        #expect(state.job?.canceling == true)
    }

    @Test("skip asks for a reason, then confirms with Cancel as the default; a non-skippable migration says why it cannot")
    func skipNeedsReason() {
        var state = ConsoleFixtures.state()
        state.press(.character("G"), .up)
        #expect(state.selectedMigration?.id == "2026-05-20-fix-admin-roles")
        state.press(.character("s"))
        guard case .confirm(let confirmation)? = state.modal else {
            Issue.record("expected a confirmation")
            return
        }
        #expect(confirmation.focus == .reason)
        state.press(.enter)
        guard case .confirm(let focused)? = state.modal else { return }
        #expect(focused.focus == .reason, "enter in an empty reason stays there: the next enter must not cancel")
        #expect(focused.problem == "type a reason first")
        state.press(.tab, .right)
        state.press(.enter)
        guard case .confirm(let blocked)? = state.modal else {
            Issue.record("an empty reason must not skip")
            return
        }
        #expect(blocked.problem == "type a reason first")
        state.press(.tab, .tab)
        guard case .confirm(confirmation)? = state.modal else { return }
        #expect(confirmation.focus == .reason)
        state.type("broken in staging")
        state.press(.tab, .tab)
        let effects = state.press(.enter)
        #expect(effects == [.write(.skip("2026-05-20-fix-admin-roles", reason: "broken in staging"))])

        var other = ConsoleFixtures.state()
        other.press(.down, .down)
        #expect(other.selectedMigration?.id == "2026-05-01-initial-tenants")
        other.press(.character("s"))
        #expect(other.modal == nil)
        #expect(other.notice?.text == "skip: 2026-05-01-initial-tenants is not skippable")
    }

    @Test("dialog keys come from the modal table: letters that are commands elsewhere type into a reason, and the hint lines are the table's")
    func dialogKeysComeFromTheModalTable() {
        var state = ConsoleFixtures.state()
        state.press(.character("G"), .up)
        state.press(.character("s"))
        state.type("jkqdrs?")
        guard case .confirm(let confirmation)? = state.modal else {
            Issue.record("typing into the reason closed the dialog")
            return
        }
        #expect(confirmation.reason == "jkqdrs?")
        state.press(.backspace)
        guard case .confirm(let edited)? = state.modal else { return }
        #expect(edited.reason == "jkqdrs")
        #expect(Keymap.modalHint(.confirmation) == "tab moves · enter chooses · esc cancels")
        #expect(Keymap.modalHint(.input) == "enter apply · esc clear")
        #expect(Keymap.modalCommand(for: .escape, in: .confirmation) == .cancel)
        state.press(.escape)
        #expect(state.modal == nil)
        for scope in Keymap.ModalScope.allCases {
            #expect(Keymap.modalBindings.contains { $0.scope == scope }, "scope \(scope) has no keys")
        }
    }

    @Test("on a protected environment a confirmation wants the environment's name typed")
    func protectedEnvironment() {
        var state = ConsoleFixtures.state(protected: true)
        state.snapshot?.blocked = false
        state.press(.character("r"))
        guard case .confirm(let confirmation)? = state.modal else {
            Issue.record("expected a confirmation")
            return
        }
        #expect(confirmation.requiredName == "staging")
        #expect(confirmation.focus == .name)
        state.type("stagin")
        state.press(.tab, .tab, .enter)
        guard case .confirm(let refused)? = state.modal else {
            Issue.record("a wrong name must not confirm")
            return
        }
        #expect(refused.problem?.contains("type the environment's name, staging") == true)
        state.press(.backTab, .backTab)
        state.type("g")
        state.press(.tab, .tab)
        #expect(state.press(.enter) == [.write(.runNext("2026-05-12-backfill-severity"))])
    }

    @Test("--readonly disables every writing command and says why, in the notice and the hint bar")
    func readonly() {
        var state = ConsoleFixtures.state(readonly: true)
        state.snapshot?.blocked = false
        for command in ConsoleCommand.allCases where command.writes {
            #expect(Reducer.disabledReason(command, state) == "read-only console (--readonly)")
        }
        #expect(state.press(.character("r")).isEmpty)
        #expect(state.modal == nil)
        #expect(state.notice?.text == "run next: read-only console (--readonly)")
        #expect(Reducer.disabledReason(.dryRun, state)?.contains("preview is off") == true, "a dry-run records its run: off in --readonly")
        #expect(Reducer.disabledReason(.dryRunAll, state)?.contains("preview is off") == true)
        let screen = Renderer.render(state)
        #expect(screen.line(29).contains("read-only: writing keys are off"))
    }

    @Test("d asks for a dry-run of the selected migration and shows it loading; applied migrations cannot be previewed")
    func dryRun() {
        var state = ConsoleFixtures.state()
        state.press(.character("G"), .up)
        #expect(state.press(.character("d")) == [.preview("2026-05-20-fix-admin-roles")])
        #expect(state.previews["2026-05-20-fix-admin-roles"] == .loading)
        _ = Reducer.reduce(&state, .previewLoaded(id: "2026-05-20-fix-admin-roles", result: .success(ConsoleFixtures.preview())))
        #expect(state.previews["2026-05-20-fix-admin-roles"] == .done(ConsoleFixtures.preview()))
        state.press(.escape, .character("g"), .character("g"), .down, .down)
        #expect(state.selectedMigration?.id == "2026-05-01-initial-tenants")
        #expect(state.press(.character("d")).isEmpty)
        #expect(state.notice?.text == "dry-run: already applied")
    }

    @Test("enter on a failed boot in the runs view opens its log; the log follows, scrolls, searches and wraps")
    func runsAndLog() {
        var state = ConsoleFixtures.state(height: 12 + 4)
        state.log = LogState()
        state.press(.character("2"))
        #expect(state.view == .runs)
        #expect(state.selectedRun?.kind == "dry-run")
        #expect(state.selectedRun?.isFailure == false, "a preview that found rejections is not a failed run")
        #expect(state.selectedRun?.shownStatus == "not clean")
        state.press(.character("j"))
        #expect(state.selectedRun?.isFailure == true)
        let effects = state.press(.enter)
        #expect(state.view == .log)
        #expect(effects == [.loadLog(runId: 42, shown: nil, after: 0)])
        var lines = ConsoleFixtures.bootLog().lines
        lines += (6...40).map { LogState.Line(id: Int64($0), time: "12:01:04", level: "info", message: "line \($0)") }
        _ = Reducer.reduce(&state, .logLoaded(runId: 42, run: ConsoleFixtures.bootLog().run, lines: lines, shown: nil, after: 0))
        #expect(state.log.follow)
        #expect(state.log.top == lines.count - Layout(width: 100, height: 16).logViewRows)
        let stale = Reducer.reduce(&state, .logLoaded(runId: 42, run: nil, lines: [lines[0]], shown: nil, after: 0))
        #expect(state.log.lines.count == lines.count, "an answer to an older request is dropped")
        #expect(stale == [.loadLog(runId: 42, shown: 42, after: 40)])
        state.press(.character("k"))
        #expect(!state.log.follow, "scrolling up stops following")
        state.press(.character("g"), .character("g"))
        #expect(state.log.top == 0)
        state.press(.character("/"))
        state.type("stream_tenant")
        state.press(.enter)
        #expect(state.log.matches == [3])
        #expect(state.log.currentMatch == 0)
        state.press(.character("G"))
        #expect(state.log.follow, "G goes to the end and follows again")
        state.press(.character("f"))
        #expect(!state.log.follow)
        state.press(.character("f"))
        #expect(state.log.follow)
        state.press(.character("w"))
        #expect(state.log.wrap)
        state.press(.escape)
        #expect(state.view == .migrations)
    }

    @Test("a long log shows the same rows windowed as in full, wrapped or not, and a search centres its match")
    func longLogWindow() {
        var state = ConsoleFixtures.state(width: 80, height: 24)
        state.log = LogState()
        state.press(.character("3"))
        let lines = (1...5_000).map { number in
            LogState.Line(id: Int64(number), time: "12:00:00", level: "info",
                          message: number % 7 == 0 ? "line \(number) " + String(repeating: "long words wrap ", count: 12) : "line \(number)")
        }
        _ = Reducer.reduce(&state, .logLoaded(runId: 42, run: ConsoleFixtures.bootLog().run, lines: lines, shown: nil, after: 0))
        let layout = Layout(width: 80, height: 24)
        for wrap in [false, true] {
            if state.log.wrap != wrap { state.press(.character("w")) }
            state.press(.character("g"), .character("g"), .pageDown, .pageDown, .pageDown)
            let full = state.log.rows(width: layout.logViewWidth)
            let window = state.log.top..<(state.log.top + layout.logViewRows)
            let shown = state.log.rows(width: layout.logViewWidth, window: window)
            #expect(shown.map(\.text) == Array(full[window]).map(\.text), "wrap \(wrap)")
            #expect(Reducer.maxLogTop(state) == full.count - layout.logViewRows, "wrap \(wrap)")
            let screen = Renderer.render(state).text()
            #expect(screen.contains(shown[0].text.prefix(20)), "wrap \(wrap)")
        }
        state.press(.character("w"))
        state.press(.character("/"))
        state.type("line 4321")
        state.press(.enter)
        #expect(state.log.matches == [4320])
        #expect(state.log.top == 4320 - layout.logViewRows / 2)
        #expect(Renderer.render(state).text().contains("line 4321"))
    }

    @Test("? shows every key: each view's, each dialog's, the viewer's, the : commands and the mouse, from their tables")
    func help() {
        var state = ConsoleFixtures.state(height: 40)
        state.press(.character("?"))
        #expect(state.modal == .help(scroll: 0))
        var pages = ""
        for _ in 0..<20 {
            pages += Renderer.render(state).text()
            state.press(.pageDown)
        }
        for binding in Keymap.bindings {
            #expect(pages.contains(binding.keyText.padding(toLength: 16, withPad: " ", startingAt: 0) + binding.label),
                    "help shows \(binding.keyText) \(binding.label)")
        }
        for binding in Keymap.modalBindings {
            let keys = binding.keys.map(\.description).joined(separator: "/")
            #expect(pages.contains(keys.padding(toLength: max(16, keys.count + 2), withPad: " ", startingAt: 0) + binding.label),
                    "help shows the \(binding.scope) key \(binding.label)")
        }
        for command in Keymap.lineCommands { #expect(pages.contains(":" + command.name + " "), "help shows :\(command.name)") }
        #expect(pages.contains("wheel") && pages.contains("click"))
        state.press(.escape)
        #expect(state.modal == nil)
    }

    @Test("the hint bar shows the keymap's hints for the view, in the keymap's words")
    func hintBarFollowsKeymap() {
        let state = ConsoleFixtures.state()
        let bar = Renderer.render(state).line(29)
        for binding in Keymap.hints(for: .migrations).prefix(5) {
            #expect(bar.contains("\(binding.hintText?.keys ?? binding.keyText) \(binding.hintText?.label ?? binding.label)"))
        }
    }

    @Test("q quits, unless a job is running")
    func quit() {
        var state = ConsoleFixtures.state()
        state.job = ConsoleState.Job(title: "running x")
        state.press(.character("q"))
        #expect(!state.quit)
        state.job = nil
        state.press(.character("q"))
        #expect(state.quit)
    }

    @Test("a new snapshot keeps the selection inside the list")
    func clampsOnReload() {
        var state = ConsoleFixtures.state()
        state.press(.character("G"))
        var smaller = ConsoleFixtures.snapshot()
        smaller.migrations.removeLast(3)
        _ = Reducer.reduce(&state, .loaded(smaller))
        #expect(state.selection[.migrations] == 2)
    }
}
