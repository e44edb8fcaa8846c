import CairnDemo
import CairnStore
import Foundation
import GRDB
import Testing

/// The real `cairn` console in a real terminal (tmux) against a demo database.
@Suite("The console in a real terminal", .serialized)
struct ConsoleTerminalTests {
    /// A workspace with the small demo and the repository's seeds.
    private func demoWorkspace() throws -> Workspace {
        let workspace = try Workspace()
        try workspace.copyRepositorySeeds()
        try buildDemo(in: workspace)
        return workspace
    }

    @Test("navigate, dry-run fix-admin-roles, skip the skippable one with a reason, run the next one, read its log")
    func operatorSession() throws {
        let workspace = try demoWorkspace()
        let tmux = try TmuxSession(["--db", workspace.database], in: workspace.url)
        try tmux.waitFor("Migrations 1/5")
        try tmux.waitFor("candidates 2")
        try tmux.press("j", "j")
        try tmux.waitFor("Migrations 3/5")
        try tmux.press("d")
        let preview = try tmux.waitFor("0 rejections · idempotent")
        #expect(preview.contains("+ tenant-membership.updated  m-admin-globex v2 · tenant acme"))
        #expect(preview.contains("~ memberships m-admin-acme"))
        #expect(preview.contains(#"roles: ["Admin"] →"#))

        try tmux.press("Escape", "j", "s")
        try tmux.waitFor("Skip a migration")
        try tmux.type("stream tenant trap in globex")
        try tmux.press("Escape")
        try tmux.waitForAbsence("Skip a migration")
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_overrides") == 0, "esc cancels, whatever was typed")
        try tmux.press("s")
        try tmux.waitFor("Skip a migration")
        try tmux.type("stream tenant trap in globex")
        // Enter in the reason field confirms once the reason is there.
        try tmux.press("Enter")
        try tmux.waitFor("⤼ 2026-05-21-grant-responder-r")
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_overrides WHERE reason = 'stream tenant trap in globex'") == 1)

        try tmux.press("r")
        try tmux.waitFor("Run the next migration")
        try tmux.press("Right", "Enter")
        try tmux.waitFor("✓ 2026-05-01-create-status-tenant")
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_markers WHERE migration_id = '2026-05-01-create-status-tenant'") == 1)
        try tmux.press("l")
        let log = try tmux.waitFor("done: 1 applied")
        #expect(log.contains("(console, migrate, succeeded)"))
        #expect(log.contains("✓ 2026-05-01-create-status-tenant"))
        try tmux.press("q")
        try tmux.waitFor("[exited 0]")
    }

    @Test("resizing redraws the layout, below the minimum it says so, and it comes back")
    func resize() throws {
        let workspace = try demoWorkspace()
        let tmux = try TmuxSession(["--db", workspace.database], in: workspace.url)
        try tmux.waitFor("Migrations 1/5")
        try tmux.resize(width: 72, height: 20)
        let small = try tmux.waitFor("Migrations 1/5")
        let lines = small.components(separatedBy: "\n").filter { !$0.isEmpty }
        #expect(lines.first?.hasPrefix("┌") == true)
        #expect(lines.first?.count == 72, "the frame is redrawn at the new width: \(lines.first ?? "")")
        #expect(lines.count == 20)
        try tmux.resize(width: 50, height: 12)
        try tmux.waitFor("terminal too small")
        try tmux.resize(width: 100, height: 30)
        try tmux.waitFor("Migrations 1/5")
        try tmux.press("q")
        try tmux.waitFor("[exited 0]")
    }

    @Test("NO_COLOR=1 draws no colours, only attributes; TERM=linux draws in 8 colours")
    func colours() throws {
        let workspace = try demoWorkspace()
        let plain = try TmuxSession(["--db", workspace.database], in: workspace.url, environment: ["NO_COLOR": "1"])
        try plain.waitFor("Migrations 1/5")
        let monochrome = try plain.capture(escapes: true)
        let colourCode = try Regex(#"\u{1B}\[(?:[0-9]+;)*(?:3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;5|48;5)(?:;[0-9]+)*m"#)
        #expect(monochrome.firstMatch(of: colourCode) == nil, "no colour codes: \(monochrome)")
        #expect(monochrome.contains("\u{1B}[7m") || monochrome.contains(";7m"), "the selection is reversed")

        let linux = try TmuxSession(["--db", workspace.database], in: workspace.url, environment: ["TERM": "linux"])
        try linux.waitFor("Migrations 1/5")
        let eight = try linux.capture(escapes: true)
        #expect(!eight.contains("38;5;"), "no 256-colour codes on an 8-colour terminal")
        #expect(eight.firstMatch(of: try Regex(#"\u{1B}\[(?:[0-9]+;)*9[0-7](?:;[0-9]+)*m"#)) == nil, "no bright colours either")
        #expect(eight.firstMatch(of: try Regex(#"\u{1B}\[(?:[0-9]+;)*3[0-7](?:;[0-9]+)*m"#)) != nil, "but colours")
        #expect(eight.contains("┌") || eight.contains("Migrations"))
    }

    @Test("the four themes are built in and open in any folder; themes/NAME.toml in the working folder adds one or overrides one")
    func builtInThemesFromAnotherFolder() throws {
        let workspace = try demoWorkspace()
        #expect(!FileManager.default.fileExists(atPath: workspace.path("themes")))
        for name in ["light", "high-contrast", "default"] {
            let tmux = try TmuxSession(["--db", workspace.database, "--theme", name], in: workspace.url)
            try tmux.waitFor("Migrations 1/5")
            try tmux.press("q")
            try tmux.waitFor("[exited 0]")
        }
        let mono = try TmuxSession(["--db", workspace.database, "--theme", "mono"], in: workspace.url)
        try mono.waitFor("Migrations 1/5")
        let drawn = try mono.capture(escapes: true)
        #expect(drawn.firstMatch(of: try Regex(#"\u{1B}\[(?:[0-9]+;)*(?:3[0-7]|9[0-7]|38;5)(?:;[0-9]+)*m"#)) == nil,
                "the built-in mono theme draws no colours")
        try mono.press("q")

        // A file of the working folder adds a theme, and overrides a built-in one of the same name.
        try workspace.write("themes/neon.toml", "name = \"neon\"\n[roles]\nborder = 201\n")
        try workspace.write("themes/mono.toml", "name = \"my-mono\"\n[roles]\nborder = 46\n")
        for (name, colour) in [("neon", "38;5;201"), ("mono", "38;5;46")] {
            let tmux = try TmuxSession(["--db", workspace.database, "--theme", name], in: workspace.url)
            try tmux.waitFor("Migrations 1/5")
            let screen = try tmux.capture(escapes: true)
            #expect(screen.contains(colour), "theme \(name) from the working folder draws its border in \(colour)")
            try tmux.press("q")
        }
        let unknown = try workspace.cairn("console", "--db", workspace.database, "--theme", "sparkle")
        #expect(unknown.status == 2, "\(unknown.output)")
        #expect(unknown.stderr.contains("available: default, high-contrast, light, mono, neon"), "\(unknown.output)")
    }

    @Test("escape sequences in seed descriptions and log lines are shown inert")
    func inertText() throws {
        let workspace = try Workspace()
        try buildDemo(in: workspace)
        try workspace.write("seeds/2026-06-09-evil.sql", """
            -- description: hostile \u{1B}]0;pwned\u{07} title \u{1B}[2J clear
            -- @write incident:write:open
            SELECT json_object('incidentId', 'i-evil', 'tenantId', 'acme', 'title', 't',
                               'severity', char(27) || '[31mRED' || char(27) || ']0;owned' || char(7)) AS payload
            WHERE NOT EXISTS (SELECT 1 FROM incidents WHERE id = 'i-evil');
            """)
        let failed = try workspace.cairn("up", "--db", workspace.database)
        #expect(failed.status == 1)
        #expect(!failed.stdout.contains("\u{1B}"), "the CLI shows it inert too")
        #expect(failed.stdout.contains("^[[31mRED"))
        let tmux = try TmuxSession(["--db", workspace.database], in: workspace.url)
        try tmux.waitFor("Migrations 1/1")
        let screen = try tmux.waitFor("hostile ^[]0;pwned^G title ^[[2J clear")
        #expect(screen.contains("^[[31mRED"), "the failed run's log line in the strip is inert: \(screen)")
        #expect(!(try tmux.capture(escapes: true)).contains("\u{1B}]0;"))
        try tmux.press("q")
    }

    @Test("a run started by another cairn up process shows up while the console is open")
    func otherProcessRunAppears() throws {
        let workspace = try demoWorkspace()
        let tmux = try TmuxSession(["--db", workspace.database], in: workspace.url)
        try tmux.waitFor("Migrations 1/5")
        try tmux.waitFor("0 applied · 5 pending")
        let up = try workspace.cairn("up", "--db", workspace.database, "--to", "2026-05-12-resolve-stale-low-incidents")
        #expect(up.status == 0, "\(up.output)")
        let screen = try tmux.waitFor("2 applied · 3 pending")
        #expect(screen.contains("✓ 2026-05-01-create-status-tenant"))
        try tmux.waitFor("(cli, migrate, succeeded)")
        try tmux.press("2")
        try tmux.waitFor("✓ 1 migrate cli succeeded")
        try tmux.press("q")
    }
}
