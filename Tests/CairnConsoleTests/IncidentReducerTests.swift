@testable import CairnConsole
import CairnRunner
import CairnStore
import CairnText
import Foundation
import Testing

/// The console during an incident: the lock, messages, the full preview, focus, run
/// history and the keys lazygit and k9s users reach for (the console issue's items).
@Suite("Console reducer: fit for an incident")
struct IncidentReducerTests {
    static let fix = "2026-05-20-fix-admin-roles"

    /// The fixture with the lock held by another process.
    static func locked(width: Int = 100, height: Int = 30) -> ConsoleState {
        var state = ConsoleFixtures.state(width: width, height: height)
        var snapshot = state.snapshot!
        snapshot.lock = Snapshot.Lock(holder: "cairn up (cli)", host: "web-2", pid: 4242, runId: 44,
                                      heartbeatAt: "2026-05-20T12:05:00Z", staleReason: nil, heartbeatAge: 3)
        _ = Reducer.reduce(&state, .loaded(snapshot))
        return state
    }

    /// The text of every row of the rendered screen.
    static func lines(_ state: ConsoleState) -> [String] {
        let screen = Renderer.render(state)
        return (0..<screen.height).map { screen.line($0) }
    }

    /// A preview with an insert, an update, a delete and a rejection.
    static func fullPreview() -> PreviewModel {
        PreviewModel(
            runId: 50,
            events: [PreviewModel.Event(type: "tenant-membership.updated", streamType: "tenant-membership", streamId: "m-17",
                                        version: 3, tenant: "acme", payload: #"{"roles":["Admin","TenantAdmin"],"by":"ops"}"#)],
            eventCount: 5_923,
            changes: [
                PreviewModel.Change(table: "members", key: "m-40", kind: .insert, fields: [.init(name: "email", old: nil, new: "new@acme.eu")]),
                PreviewModel.Change(table: "memberships", key: "m-17", kind: .update, fields: [
                    .init(name: "roles", old: #"["Admin"]"#, new: #"["Admin","TenantAdmin"]"#),
                ]),
                PreviewModel.Change(table: "members", key: "m-9", kind: .delete, fields: [.init(name: "email", old: "gone@acme.eu", new: nil)]),
            ],
            rejections: [PreviewModel.Rejection(block: 2, row: 7, error: "version conflict on incident i-9",
                                                payload: #"{"incident":"i-9"}"#, advice: "pass stream_tenant = 'globex'")],
            idempotent: true, note: nil)
    }

    // MARK: 1 the lock

    @Test("a lock held by anyone shows as a banner with holder, pid, host, run, heartbeat age and live or stale")
    func lockBannerNamesTheHolder() {
        let state = Self.locked()
        #expect(Layout.of(state).paneTop == 2, "the banner takes a row under the title")
        let banner = Self.lines(state)[1]
        for part in ["LIVE lock", "cairn up (cli)", "pid 4242 on web-2", "run 44", "heartbeat 3 s ago", "not stale"] {
            #expect(banner.contains(part), "\(banner)")
        }
        let screen = Renderer.render(state)
        #expect(screen[4, 1].role == .danger)
        var stale = state
        stale.snapshot?.lock?.staleReason = "process 4242 on web-2 is gone"
        #expect(Self.lines(stale)[1].contains("STALE lock of cairn up (cli)"))
        #expect(Self.lines(stale)[1].contains("x breaks it"))
        var ours = state
        ours.snapshot?.lock?.ours = true
        #expect(Self.lines(ours)[1].contains("locked by this console's job"))
        ours.press(.character("x"))
        #expect(ours.notice?.text.contains("this console's own job holds the lock: press c") == true, "x does not break its own job's lock")
        var free = state
        free.snapshot?.lock = nil
        #expect(Layout.of(free).paneTop == 1)
    }

    @Test("while a job waits for the lock the message line says for whom and how long; the console's own keys are offered")
    func lockWaitIsShownAndKeysOffered() {
        var state = Self.locked()
        state.job = ConsoleState.Job(title: "running \(Self.fix)")
        _ = Reducer.reduce(&state, .jobProgress("waiting for the lock held by cairn up (cli) · pid 4242 on web-2 (4 of 10 s)"))
        let lines = Self.lines(state)
        #expect(lines[28].contains("waiting for the lock held by cairn up (cli) · pid 4242 on web-2 (4 of 10 s)"), "\(lines[28])")
        state.press(.character("x"))
        guard case .confirm(let confirmation)? = state.modal else {
            Issue.record("x while the job waits for the lock offers to break it")
            return
        }
        #expect(confirmation.action == .breakLock(force: true))
        #expect(state.press(.right, .enter) == [.breakLockBeside(force: true)], "broken beside the waiting job, not after it")
        #expect(state.job != nil, "the waiting job goes on")
        _ = Reducer.reduce(&state, .jobProgress("12/300 rows"))
        state.press(.character("x"))
        #expect(state.notice?.text.contains("press c to cancel it first") == true, "once the job runs, x waits")
        let row = #"{"holder":"cairn up (cli)","host":"web-2","pid":4242,"run_id":44,"acquired_at":"","heartbeat_at":"","token":"t"}"#
        guard let holder = try? JSONDecoder().decode(LockInfo.self, from: Data(row.utf8)) else {
            Issue.record("a lock row decodes")
            return
        }
        let message = EffectRunner.describe(RunnerError.lockTimeout(holder: holder, waited: 10))
        #expect(message.contains("press x to break it"), "\(message)")
        #expect(!message.contains("cairn unlock"), "the console offers its own key, not the command line's")
    }

    // MARK: 2 messages

    @Test("messages have their own line: keys pressed during a job answer there and the log header stays")
    func messagesNeverHideTheLogHeader() {
        var state = ConsoleFixtures.state(width: 160)
        state.job = ConsoleState.Job(title: "running \(Self.fix)", progress: "12/300 rows")
        for key in [Key.character("q"), .character("r"), .character("x")] {
            state.press(key)
            let lines = Self.lines(state)
            #expect(lines[28].contains(state.notice?.text ?? "∅"), "the answer to \(key) is on the message line: \(lines[28])")
            #expect(lines[28].contains("▶ running \(Self.fix) · 12/300 rows"), "the job stays beside it")
            #expect(lines.contains { $0.contains("│ log · run 42 (boot, migrate, failed)") }, "the log header is never replaced")
        }
        #expect(!state.quit)
    }

    // MARK: 3 the preview

    @Test("the preview shows what cairn dry-run shows: counts per section, payloads, inserted and deleted values, rejections with block, payload and fix")
    func previewShowsWhatTheCommandLineShows() {
        let text = Self.fullPreview().lines.map(\.text)
        #expect(text.contains("5,923 events · 3 row changes") && text.contains("1 rejection · idempotent"))
        #expect(text.contains("events that would be appended · 5,923; the first 1 shown"))
        #expect(text.contains(#"    {"roles":["Admin","TenantAdmin"],"by":"ops"}"#))
        #expect(text.contains("+ members m-40 (insert)") && text.contains("    email: new@acme.eu"))
        #expect(text.contains("- members m-9 (delete)") && text.contains("    email: gone@acme.eu"))
        #expect(text.contains(#"    roles: ["Admin"] → ["Admin","TenantAdmin"]"#))
        #expect(text.contains("rejections · 1"))
        #expect(text.contains("✗ block 2 row 7: version conflict on incident i-9"))
        #expect(text.contains(#"    payload: {"incident":"i-9"}"#))
        #expect(text.contains("    fix: pass stream_tenant = 'globex'"))
        #expect(!text.contains { $0.contains("(new row)") || $0.contains("(row removed)") })
    }

    @Test("enter on an event opens it whole, pretty-printed and scrollable; / searches the detail; G and g g move there; the position is shown")
    func previewRowsOpenWholeAndSearch() {
        var state = ConsoleFixtures.state()
        state.press(.character("G"), .up)
        _ = Reducer.reduce(&state, .previewLoaded(id: Self.fix, result: .success(Self.fullPreview())))
        state.press(.tab)
        #expect(state.focus == .detail)
        state.press(.character("/"))
        #expect(state.input == InputLine(purpose: .detailSearch, text: ""), "a search starts empty")
        state.type("m-17 v3")
        state.press(.enter)
        let rows = state.detailRows(width: Layout.of(state).detailWidth)
        #expect(rows[state.detailCursor].text.hasPrefix("+ tenant-membership.updated  m-17 v3"))
        state.press(.enter)
        guard case .viewer(let viewer)? = state.modal else {
            Issue.record("enter opens a viewer")
            return
        }
        #expect(viewer.lines.contains(#"  "by": "ops","#))
        #expect(viewer.lines.contains(#"  "roles": ["#))
        #expect(Self.lines(state).contains { $0.contains("line 1 of") })
        state.press(.character("G"))
        guard case .viewer(let scrolled)? = state.modal else { return }
        #expect(scrolled.top == max(0, viewer.lines.count - (30 - 8)))
        state.press(.escape)
        #expect(state.modal == nil)
        state.press(.character("G"))
        #expect(state.detailCursor == rows.count - 1)
        #expect(Self.lines(state).contains { $0.contains("line \(rows.count) of \(rows.count)") })
        state.press(.character("g"), .character("g"))
        #expect(state.detailCursor == 0)
        state.press(.character("n"))
        #expect(rows[state.detailCursor].text.contains("m-17 v3"), "n finds the match again")
    }

    @Test("D previews every pending migration in run order, in one dry-run; each preview says what ran before it")
    func dryRunAllPending() {
        var state = ConsoleFixtures.state()
        #expect(state.press(.character("D")).isEmpty, "blocked by drift: refused like R")
        #expect(state.notice?.text.contains("blocked") == true)
        state.snapshot?.blocked = false
        let effects = state.press(.character("D"))
        let runnable = state.snapshot!.migrations.filter(\.runnable).map(\.id)
        #expect(effects == [.previewAll(runnable)])
        #expect(runnable == ["2026-05-12-backfill-severity", Self.fix])
        for id in runnable { #expect(state.previews[id] == .loading) }
        let model = PreviewModel(runId: 9, events: [], changes: [], rejections: [], idempotent: true, note: nil,
                                 after: ["2026-05-12-backfill-severity"])
        #expect(model.lines[0].text == "dry-run (run 9, after 1 pending before it, rolled back)")
    }

    // MARK: 4 big diffs

    @Test("a 10,000-row diff is laid out row for row without wrapping, and a frame draws only its window")
    func bigDiffsAreLaidOutLazily() {
        var state = ConsoleFixtures.state()
        state.press(.character("G"), .up)
        let events = (1...10_000).map { index in
            PreviewModel.Event(type: "x.updated", streamType: "x", streamId: "s-\(index)", version: 1, tenant: "t",
                               payload: String(repeating: "{\"long\":\"payload\"}", count: 20))
        }
        let model = PreviewModel(runId: 1, events: events, changes: [], rejections: [], idempotent: true, note: nil)
        _ = Reducer.reduce(&state, .previewLoaded(id: Self.fix, result: .success(model)))
        let rows = state.detailRows(width: Layout.of(state).detailWidth)
        #expect(rows.count - state.detailLines.count < 20, "only the migration's facts wrap; each diff row is one row")
        let started = ProcessInfo.processInfo.systemUptime
        _ = started
        state.press(.tab)
        for _ in 0..<500 { state.press(.pageDown) }
        #expect(state.detailCursor == 500 * Layout.of(state).detailRows)
        state.press(.character("G"))
        #expect(state.detailCursor == rows.count - 1)
        let screen = Self.lines(state)
        #expect(screen.contains { $0.contains("line \(rows.count.grouped) of \(rows.count.grouped)") })
    }

    // MARK: 5 the failure first

    @Test("the console opens on the first failed migration, else the first half-done one, else the first pending one; its detail shows the error, payload and fix")
    func opensOnTheFailureWithItsFix() {
        let state = ConsoleFixtures.state()
        #expect(state.selectedMigration?.id == "2026-05-12-backfill-severity")
        let text = state.detailLines.map(\.text)
        #expect(text.contains { $0.hasPrefix("2026-05-12-backfill-severity failed at block 1") })
        #expect(text.contains(#"payload: {"incident":"i-9","severity":"high"}"#))
        #expect(state.detailLines.first { $0.text.hasPrefix("fix:") }?.role == .accent)
        var pending = ConsoleState()
        var snapshot = ConsoleFixtures.snapshot()
        snapshot.migrations.removeAll { $0.state == .failed }
        _ = Reducer.reduce(&pending, .loaded(snapshot))
        #expect(pending.selectedMigration?.id == Self.fix)
        let later = Reducer.reduce(&pending, .loaded(ConsoleFixtures.snapshot()))
        #expect(later.isEmpty)
        #expect(pending.selectedMigration?.id == Self.fix, "only the first snapshot chooses; later ones keep the operator's place")
    }

    @Test("the log strip grows with the terminal, and + and - resize it within bounds")
    func logStripGrowsAndResizes() {
        #expect(Layout(width: 100, height: 24).stripLines == 4)
        #expect(Layout(width: 200, height: 60).stripLines == 10)
        var state = ConsoleFixtures.state(width: 200, height: 60)
        state.press(.character("+"), .character("+"))
        #expect(Layout.of(state).stripLines == 12)
        for _ in 0..<100 { state.press(.character("+")) }
        #expect(Layout.of(state).listRows >= Layout.minimumPaneRows - 1, "the panes keep their minimum")
        for _ in 0..<100 { state.press(.character("-")) }
        #expect(Layout.of(state).stripLines == 0)
        #expect(state.notice?.text == "log strip hidden: + shows it")
    }

    // MARK: 6 focus

    @Test("focus shows in the text and survives no colour; the hint bar follows it and tab is offered only where it works")
    func focusIsVisibleWithoutColour() {
        var state = ConsoleFixtures.state(width: 120)
        let before = Renderer.render(state)
        state.press(.tab)
        let after = Renderer.render(state)
        #expect(before.text() != after.text(), "the screens before and after tab differ in text, not only in colour")
        #expect(after.line(1).contains("│▶ 2026-05-12-backfill-severity"))
        #expect(before.line(1).hasPrefix("│▶ Migrations"))
        #expect(after[Layout.of(state).detailX, 1].role == .focus)
        #expect(Theme.builtIn.spec(.focus).reverse || Theme.attributes[.focus]?.reverse == true)
        let mono = try? Theme.load(named: "mono", directories: [])
        #expect(mono?.spec(.focus).reverse == true, "mono draws the focused title reversed")
        #expect(after.line(29).contains("j/k line"), "\(after.line(29))")
        #expect(before.line(29).contains("j/k move"))
        state.view = .log
        #expect(!Keymap.hints(for: .log).contains { $0.command == .nextPane }, "tab does nothing in the log: not advertised")
        #expect(Keymap.hints(for: .migrations).contains { $0.command == .nextPane })
    }

    // MARK: 7 run history

    @Test("runs filter by kind; the log follows the newest run that is not a preview; a run lists its migrations")
    func runHistoryByKind() {
        var state = ConsoleFixtures.state()
        state.press(.character("2"))
        #expect(state.visibleRuns.map(\.id) == [43, 42, 41, 3])
        state.press(.character("t"))
        #expect(state.visibleRuns.map(\.id) == [42, 3], "previews hidden")
        state.press(.character("t"))
        #expect(state.visibleRuns.map(\.id) == [43, 41])
        state.press(.character("t"))
        #expect(state.runKinds == nil)
        state.press(.character("j"))
        let effects = Reducer.reduce(&state, .key(.character("k")))
        #expect(effects == [.loadRunMigrations(43)])
        _ = Reducer.reduce(&state, .runMigrationsLoaded(runId: 43, items: [
            .init(id: "2026-05-12-backfill-severity", status: "failed", events: 0),
            .init(id: "2026-05-21-rename-plans", status: "skipped", events: 0),
            .init(id: "2026-05-01-initial-tenants", status: "applied", events: 12),
        ]))
        let text = state.detailLines.map(\.text)
        #expect(text.contains("✗ 2026-05-12-backfill-severity failed"))
        #expect(text.contains("⤼ 2026-05-21-rename-plans skipped"))
        #expect(text.contains("✓ 2026-05-01-initial-tenants applied · 12 events"))
        #expect(Renderer.glyph(of: state.visibleRuns[0]) == "!", "a preview that found problems is not ✗ failed")
    }

    @Test("the events written are paged: \"200 of 71,117\", enter on the last row loads the next page, enter on an event opens its payload")
    func writtenEventsArePaged() {
        var state = ConsoleFixtures.state()
        state.press(.character("g"), .character("g"), .down, .down)
        let id = "2026-05-01-initial-tenants"
        let page = (1...200).map { PreviewModel.Event(type: "tenant.created", streamType: "tenant", streamId: "t-\($0)", version: 1,
                                                       tenant: "acme", payload: #"{"n":\#($0)}"#) }
        _ = Reducer.reduce(&state, .eventsLoaded(id: id, events: page, lastPosition: 200, total: 71_117, append: false))
        #expect(state.detailLines.contains { $0.text == "events written · 200 of 71,117" })
        state.press(.tab, .character("G"))
        #expect(state.press(.enter) == [.loadEvents(id, after: 200)])
        #expect(state.writtenEvents[id]?.loading == true)
        #expect(state.press(.enter).isEmpty, "one page at a time")
        _ = Reducer.reduce(&state, .eventsLoaded(id: id, events: page, lastPosition: 400, total: 71_117, append: true))
        #expect(state.detailLines.contains { $0.text == "events written · 400 of 71,117" })
        state.press(.up, .enter)
        guard case .viewer(let viewer)? = state.modal else {
            Issue.record("enter on an event opens it")
            return
        }
        #expect(viewer.lines.contains(#"  "n": 200"#))
    }

    // MARK: 9 what lazygit and k9s users reach for

    @Test("v filters the log by level; y copies the line, the payload or the id")
    func logLevelsAndCopy() {
        var state = ConsoleFixtures.state()
        #expect(state.press(.character("y")) == [.copy("2026-05-12-backfill-severity")])
        state.view = .log
        state.press(.character("v"), .character("v"))
        #expect(state.log.minimumLevel == "warning")
        #expect(state.log.lines.allSatisfy { $0.level == "error" || $0.level == "warning" })
        #expect(state.log.lines.count < state.log.all.count)
        state.press(.character("v"), .character("v"))
        #expect(state.log.lines.count == state.log.all.count)
        state.view = .migrations
        state.press(.character("G"), .up)
        _ = Reducer.reduce(&state, .previewLoaded(id: Self.fix, result: .success(Self.fullPreview())))
        state.press(.tab, .character("/"))
        state.type("block 2 row 7")
        state.press(.enter)
        let effects = state.press(.character("y"))
        guard case .copy(let text)? = effects.first else {
            Issue.record("y copies")
            return
        }
        #expect(text.contains("fix: pass stream_tenant = 'globex'") && text.contains(#""incident": "i-9""#))
    }

    @Test("the : command line completes from the commands table and runs commands through their keys' path")
    func commandLine() {
        var state = ConsoleFixtures.state()
        state.press(.character(":"))
        state.type("sk")
        state.press(.tab)
        #expect(state.input?.text == "skip ")
        state.type("2026-05-2")
        state.press(.tab)
        #expect(state.input?.text == "skip 2026-05-2")
        #expect(state.notice?.text.contains("2026-05-20-fix-admin-roles") == true)
        state.type("0")
        state.press(.tab, .enter)
        guard case .confirm(let confirmation)? = state.modal else {
            Issue.record(":skip ID asks for confirmation, as s does: \(String(describing: state.notice))")
            return
        }
        #expect(confirmation.action == .skip(Self.fix, reason: ""))
        state.press(.escape, .character(":"))
        state.type("bogus")
        state.press(.enter)
        #expect(state.notice?.isError == true && state.notice?.text.contains(":bogus is not a command") == true)
        state.press(.character(":"))
        state.type("theme mono")
        #expect(state.press(.enter) == [.setTheme("mono")])
        state.press(.character(":"))
        state.type("theme sparkle")
        #expect(state.press(.enter).isEmpty)
        #expect(state.notice?.text.contains("sparkle is not a theme") == true)
        state.press(.character(":"))
        state.type("runs migrate")
        state.press(.enter)
        #expect(state.view == .runs && state.visibleRuns.map(\.id) == [42, 3])
        state.press(.character(":"))
        state.type("env production")
        #expect(state.press(.enter) == [.switchEnvironment("production")])
        var readonly = ConsoleFixtures.state(readonly: true)
        readonly.press(.character(":"))
        readonly.type("up")
        readonly.press(.enter)
        #expect(readonly.modal == nil && readonly.notice?.text.contains("read-only") == true, ":up obeys --readonly like R")
    }

    @Test("a click selects the row under it and gives its pane the keys; the wheel scrolls the pane under the pointer")
    func mouse() {
        var state = ConsoleFixtures.state()
        let layout = Layout.of(state)
        state.press(.mouse(MouseEvent(x: 5, y: layout.paneTop + 1 + 1, kind: .click)))
        #expect(state.selectedMigration?.id == "2026-04-02-seed-roles")
        state.press(.mouse(MouseEvent(x: 5, y: layout.paneTop + 1, kind: .wheelDown)))
        #expect(state.selection[.migrations] == 4)
        state.press(.mouse(MouseEvent(x: layout.detailX + 3, y: layout.paneTop + 3, kind: .click)))
        #expect(state.focus == .detail && state.detailCursor == 2)
        state.press(.mouse(MouseEvent(x: layout.detailX + 3, y: layout.paneTop + 3, kind: .wheelDown)))
        #expect(state.detailCursor == 5)
    }

    @Test("enter in a dialog's text field confirms once it is valid; on a protected environment it moves on to the name")
    func enterInATextFieldConfirms() {
        var state = ConsoleFixtures.state()
        state.press(.character("G"), .up, .character("s"))
        state.type("trap")
        #expect(state.press(.enter) == [.write(.skip(Self.fix, reason: "trap"))])
        var protected = ConsoleFixtures.state(protected: true)
        protected.press(.character("G"), .up, .character("s"))
        protected.type("trap")
        #expect(protected.press(.enter).isEmpty)
        guard case .confirm(let confirmation)? = protected.modal else { return }
        #expect(confirmation.focus == .name)
        protected.type("staging")
        #expect(protected.press(.enter) == [.write(.skip(Self.fix, reason: "trap"))])
    }

    @Test("c asks before cancelling a job on a protected environment, Cancel first; elsewhere it cancels at once")
    func cancelAsksOnProtected() {
        var state = ConsoleFixtures.state(protected: true)
        state.job = ConsoleState.Job(title: "running all pending migrations")
        #expect(state.press(.character("c")).isEmpty)
        guard case .confirm(let confirmation)? = state.modal else {
            Issue.record("c asks on a protected environment")
            return
        }
        #expect(confirmation.focus == .cancel)
        #expect(state.press(.enter).isEmpty, "enter on the default, Cancel, keeps the job")
        #expect(state.job?.canceling == false)
        state.press(.character("c"), .right)
        #expect(state.press(.enter) == [.cancelJob])
        #expect(state.job?.canceling == true)
        var plain = ConsoleFixtures.state()
        plain.job = ConsoleState.Job(title: "running all pending migrations")
        #expect(plain.press(.character("c")) == [.cancelJob])
    }

    @Test("PROTECTED is drawn in the danger role; ctrl-r reloads cairn.toml as well as the store; a ZWJ sequence is drawn as all its parts")
    func protectedReloadAndWideClusters() {
        let state = ConsoleFixtures.state(protected: true)
        let screen = Renderer.render(state)
        let row = screen.line(0)
        guard let range = row.range(of: "PROTECTED") else {
            Issue.record("no PROTECTED in \(row)")
            return
        }
        let column = DisplayWidth.of(String(row[..<range.lowerBound]))
        #expect(screen[column, 0].role == .danger && screen[column + 8, 0].role == .danger)
        var reload = ConsoleFixtures.state()
        let effects = reload.press(.control("r"))
        #expect(effects.first == .reloadConfig(current: "staging"))
        _ = Reducer.reduce(&reload, .configReloaded(.success([
            .init(name: "staging", database: "/srv/app/events.sqlite", protected: true, current: false),
        ])))
        #expect(reload.protected && reload.environments.first?.current == true, "an edit of cairn.toml shows without a restart")
        #expect(DisplayWidth.of("👩‍💻") == 4, "drawn as its parts, 👩 and 💻, side by side")
        var cells = Screen(width: 8, height: 1)
        cells.put("a👩‍💻b", x: 0, y: 0)
        #expect(cells.line(0) == "a👩💻b  ")
        #expect(cells[1, 0].character == "👩" && cells[3, 0].character == "💻")
    }

    // MARK: found by an outside tester

    @Test("enter on a wrong environment name stays in the field and says why; it never lands on Cancel")
    func enterOnAWrongNameStays() {
        var state = ConsoleFixtures.state(protected: true)
        state.snapshot?.blocked = false
        state.press(.character("r"))
        state.type("pro")
        #expect(state.press(.enter).isEmpty)
        guard case .confirm(let confirmation)? = state.modal else {
            Issue.record("the dialog stays open")
            return
        }
        #expect(confirmation.focus == .name)
        #expect(confirmation.problem == "type the environment's name, staging, to confirm")
        state.type("d")
        guard case .confirm(let typed)? = state.modal else { return }
        #expect(typed.typedName == "prod", "a key typed after the refusal still types")
    }

    @Test("a message that offers a key lets that key through: x from the lock-timeout message breaks the lock")
    func messageLetsItsKeyThrough() {
        var state = Self.locked()
        state.job = ConsoleState.Job(title: "running \(Self.fix)")
        _ = Reducer.reduce(&state, .jobFinished(title: "running \(Self.fix)", result: .failure(ConsoleFailure(
            "the migration lock is held by cairn up (cli)\npress x to break it"))))
        _ = Reducer.reduce(&state, .loaded(Self.locked().snapshot!))
        guard case .message? = state.modal else {
            Issue.record("the failure is a message")
            return
        }
        state.press(.character("x"))
        guard case .confirm(let confirmation)? = state.modal else {
            Issue.record("x opened no confirmation: \(String(describing: state.modal))")
            return
        }
        #expect(confirmation.action == .breakLock(force: true))
    }

    @Test(":log of a run that does not exist says so instead of loading for ever")
    func logOfAMissingRun() {
        var state = ConsoleFixtures.state()
        state.press(.character(":"))
        state.type("log 999")
        #expect(state.press(.enter) == [.loadLog(runId: 999, shown: nil, after: 0)])
        _ = Reducer.reduce(&state, .logMissing(999))
        #expect(Self.lines(state)[2].contains("no run 999 in this store"))
        #expect(state.notice?.isError == true)
    }

    @Test("the viewer wraps a long value, so it is shown whole")
    func viewerWrapsLongValues() {
        var state = ConsoleFixtures.state()
        state.modal = .viewer(Viewer(title: "event", text: "title: " + String(repeating: "W", count: 3_000) + "\nend"))
        let text = Renderer.render(state).text()
        #expect(text.components(separatedBy: "W").count - 1 >= 22 * 88, "the rows on screen are full of the value")
        state.press(.character("G"))
        #expect(Renderer.render(state).text().contains("end"))
    }

    @Test("the newest run stays selected as newer runs arrive; a run the operator chose stays chosen")
    func runSelectionFollowsTheOperator() {
        var state = ConsoleFixtures.state()
        state.press(.character("2"))
        var snapshot = state.snapshot!
        snapshot.runs.insert(Snapshot.Run(id: 44, kind: "migrate", trigger: "boot", status: "running",
                                          startedAt: "2026-05-22T12:20:00.000Z", host: "web-3", pid: 7), at: 0)
        _ = Reducer.reduce(&state, .loaded(snapshot))
        #expect(state.selectedRun?.id == 44)
        state.press(.character("j"), .character("j"))
        #expect(state.selectedRun?.id == 42)
        snapshot.runs.insert(Snapshot.Run(id: 45, kind: "dry-run", trigger: "console", status: "running",
                                          startedAt: "2026-05-22T12:21:00.000Z", host: "ops-1", pid: 90), at: 0)
        _ = Reducer.reduce(&state, .loaded(snapshot))
        #expect(state.selectedRun?.id == 42)
    }
}
