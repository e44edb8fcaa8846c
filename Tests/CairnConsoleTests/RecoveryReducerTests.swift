@testable import CairnConsole
import CairnRunner
import Foundation
import Testing

/// The console's repair and retire: the key, the reason, the confirmation and what is shown after.
@Suite("Console: repair and retire")
struct RecoveryReducerTests {
    /// The fixture's state with the migration `id` selected.
    static func selecting(_ id: String, in state: inout ConsoleState) {
        state.press(.character("g"), .character("g"))
        while state.selectedMigration?.id != id {
            let before = state.selectedMigration?.id
            state.press(.down)
            if state.selectedMigration?.id == before { break }
        }
    }

    /// The text of every row of the rendered screen.
    static func lines(_ state: ConsoleState) -> [String] {
        let screen = Renderer.render(state)
        return (0..<screen.height).map { screen.line($0) }
    }

    @Test("a on a drifted migration asks for a reason, Cancel the default button, then repairs it")
    func repairADrift() throws {
        var state = ConsoleFixtures.state()
        Self.selecting("2026-04-02-seed-roles", in: &state)
        #expect(Self.lines(state).contains { $0.contains("a: repair — approve the edited file on the record") })
        state.press(.character("a"))
        guard case .confirm(let confirmation)? = state.modal else {
            Issue.record("expected a confirmation")
            return
        }
        #expect(confirmation.title == "Repair a migration")
        #expect(confirmation.action == .repair("2026-04-02-seed-roles", reason: "", retire: false, checksum: "5f954238e24b176aba6c54fc2e49504b"))
        #expect(confirmation.focus == .reason)
        #expect(confirmation.fields == [.reason, .cancel, .confirm])
        // Tab from the reason lands on Cancel: enter there cancels.
        state.press(.tab)
        guard case .confirm(let onCancel)? = state.modal else { return }
        #expect(onCancel.focus == .cancel)
        state.press(.enter)
        #expect(state.modal == nil, "enter on Cancel writes nothing")

        state.press(.character("a"))
        #expect(state.press(.enter).isEmpty, "an empty reason never repairs")
        state.type("comment added")
        // Enter in the filled reason lands on Cancel, the default: a second enter would cancel.
        #expect(state.press(.enter).isEmpty)
        guard case .confirm(let filled)? = state.modal else {
            Issue.record("enter in the reason closed the dialog")
            return
        }
        #expect(filled.focus == .cancel)
        let effects = state.press(.right, .enter)
        #expect(effects == [.write(.repair("2026-04-02-seed-roles", reason: "comment added", retire: false, checksum: "5f954238e24b176aba6c54fc2e49504b"))])
        #expect(state.job?.title == "repairing 2026-04-02-seed-roles")
    }

    @Test("a on a missing migration retires it after a reason; on a protected environment the name must be typed too")
    func retireAMissingFileOnAProtectedEnvironment() throws {
        var state = ConsoleFixtures.state(protected: true)
        Self.selecting("2026-03-15-old-cleanup", in: &state)
        #expect(Self.lines(state).contains { $0.contains("a: retire — its file was deleted on purpose") })
        state.press(.character("a"))
        guard case .confirm(let confirmation)? = state.modal else {
            Issue.record("expected a confirmation")
            return
        }
        #expect(confirmation.title == "Retire a migration")
        #expect(confirmation.requiredName == "staging")
        #expect(confirmation.action.verb == "Retire")
        state.type("folded into the tenant setup")
        #expect(state.press(.enter).isEmpty, "the reason alone does not confirm on a protected environment")
        state.type("stagin")
        #expect(state.press(.enter).isEmpty, "a wrong name does not confirm")
        state.type("g")
        #expect(state.press(.enter).isEmpty, "enter in the filled name lands on Cancel")
        let effects = state.press(.right, .enter)
        #expect(effects == [.write(.repair("2026-03-15-old-cleanup", reason: "folded into the tenant setup", retire: true, checksum: "00112233445566778899aabbccddeeff"))])
    }

    @Test("a on an applied, failed or pending migration says why not; --readonly turns it off; :repair ID takes the same path")
    func repairRefusedWhereThereIsNoBlock() throws {
        var state = ConsoleFixtures.state()
        for id in ["2026-05-01-initial-tenants", "2026-05-12-backfill-severity", "2026-05-20-fix-admin-roles"] {
            Self.selecting(id, in: &state)
            state.press(.character("a"))
            #expect(state.modal == nil)
            #expect(state.notice?.text.contains("repair only ends a drift or a missing file") == true, "\(state.notice?.text ?? "")")
        }
        var readonly = ConsoleFixtures.state(readonly: true)
        Self.selecting("2026-04-02-seed-roles", in: &readonly)
        readonly.press(.character("a"))
        #expect(readonly.modal == nil)
        #expect(readonly.notice?.isError == true)

        var line = ConsoleFixtures.state()
        line.press(.character(":"))
        line.type("repair 2026-04-02-seed-roles")
        line.press(.enter)
        guard case .confirm(let confirmation)? = line.modal else {
            Issue.record("expected :repair to ask first")
            return
        }
        #expect(confirmation.action == .repair("2026-04-02-seed-roles", reason: "", retire: false, checksum: "5f954238e24b176aba6c54fc2e49504b"))
        #expect(Keymap.bindings.contains { $0.command == .repair && $0.keys == [[.character("a")]] })
        #expect(ConsoleCommand.repair.writes)
    }

    @Test("behind the terminal-too-small screen no key acts: a filled repair dialog is not confirmed, only q quits outside one")
    func noKeysBehindTooSmall() throws {
        var state = ConsoleFixtures.state()
        Self.selecting("2026-04-02-seed-roles", in: &state)
        state.press(.character("a"))
        state.type("comment added")
        state.press(.tab, .right)
        _ = Reducer.reduce(&state, .resized(width: 30, height: 8))
        #expect(state.press(.enter).isEmpty)
        #expect(state.job == nil)
        guard case .confirm? = state.modal else {
            Issue.record("the dialog went away behind the small screen")
            return
        }
        _ = Reducer.reduce(&state, .resized(width: 100, height: 30))
        #expect(state.press(.enter) == [.write(.repair("2026-04-02-seed-roles", reason: "comment added", retire: false, checksum: "5f954238e24b176aba6c54fc2e49504b"))])
    }

    @Test("a repaired, retired or baselined migration shows how, who and why in its detail; retired has its own glyph")
    func recoveryShownInTheDetail() throws {
        var snapshot = ConsoleFixtures.snapshot()
        snapshot.migrations[0].state = .retired
        snapshot.migrations[0].recovery = "retired 2026-06-01T10:00:00.000Z by ops@web-1: folded into the tenant setup · run 50"
        snapshot.migrations[1].state = .applied
        snapshot.migrations[1].problems = []
        snapshot.migrations[1].recovery = "repaired 2026-06-01T10:05:00.000Z by ops@web-1: comment added (checksum was 5f954238e24b…) · run 51"
        snapshot.migrations[2].baseline = true
        snapshot.blocked = false
        snapshot.problems = []
        var state = ConsoleFixtures.state(width: 180)
        _ = Reducer.reduce(&state, .loaded(snapshot))
        Self.selecting("2026-03-15-old-cleanup", in: &state)
        var screen = Self.lines(state)
        #expect(screen.contains { $0.contains("⊘ 2026-03-15-old-cleanup") })
        #expect(screen.contains { $0.contains("retired 2026-06-01T10:00:00.000Z by ops@web-1: folded into the tenant setup") })
        Self.selecting("2026-04-02-seed-roles", in: &state)
        screen = Self.lines(state)
        #expect(screen.contains { $0.contains("repaired 2026-06-01T10:05:00.000Z by ops@web-1: comment added") })
        #expect(!screen.contains { $0.contains("a: repair") })
        Self.selecting("2026-05-01-initial-tenants", in: &state)
        #expect(Self.lines(state).contains { $0.contains("baseline 2026-05-01 09:00:00") })
    }
}
