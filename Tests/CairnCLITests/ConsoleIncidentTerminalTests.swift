import CairnDemo
import CairnStore
import Foundation
import GRDB
import Testing

/// The real console in a real terminal (tmux) during an incident: a lock held by a
/// second process, a full preview, a big diff left open, a failed boot, `--readonly`, the mouse.
@Suite("The console in a real terminal, during an incident", .serialized)
struct ConsoleIncidentTerminalTests {
    /// A workspace with the small demo and the repository's seeds.
    private func demoWorkspace() throws -> Workspace {
        let workspace = try Workspace()
        try workspace.copyRepositorySeeds()
        try buildDemo(in: workspace)
        return workspace
    }

    /// The pid of the `cairn` process whose command line names `database`.
    private func consolePid(_ database: String) throws -> pid_t? {
        for entry in try FileManager.default.contentsOfDirectory(atPath: "/proc") {
            guard let pid = pid_t(entry),
                  let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { continue }
            let arguments = String(decoding: data, as: UTF8.self).split(separator: "\0").map(String.init)
            if arguments.first?.hasSuffix("/cairn") == true, arguments.contains(database), !arguments.contains("up") { return pid }
        }
        return nil
    }

    /// CPU seconds (user and system) a process has used.
    private func cpuSeconds(_ pid: pid_t) throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // Fields after the command's closing parenthesis: utime is the 12th, stime the 13th.
        let fields = stat[stat.range(of: ")")!.upperBound...].split(separator: " ")
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return (Double(fields[11])! + Double(fields[12])!) / ticks
    }

    @Test("a lock held by a second process shows as a banner with its pid; a waiting run says so second by second; x breaks the lock from the console, a killed holder shows as stale")
    func lockBannerOfASecondProcess() throws {
        let workspace = try Workspace()
        try buildDemo(in: workspace)
        try workspace.write("seeds/2026-06-01-drill.sql", drillSeed("slow", count: 400))
        let (holder, _) = try startLogged(
            workspace, ["up", "--db", workspace.database, "--throttle", "150"], log: "up.log")
        defer { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() }
        #expect(try CairnProcess.wait(timeout: 30) { try scalar(workspace, "SELECT count(*) FROM cairn_lock") == 1 })
        let tmux = try TmuxSession(["--db", workspace.database], in: workspace.url, width: 140, height: 35)
        let banner = try tmux.waitFor("LIVE lock: cairn up (cli)")
        #expect(banner.contains("pid \(holder.processIdentifier) on "), "\(banner)")
        #expect(banner.contains("heartbeat") && banner.contains("not stale"))
        try tmux.press("r")
        try tmux.waitFor("Run the next migration")
        try tmux.press("Right", "Enter")
        let waiting = try tmux.waitFor("waiting for the lock held by cairn up (cli)")
        #expect(waiting.contains("pid \(holder.processIdentifier)"))
        try tmux.waitFor("(3 of 10 s) · x breaks it")
        // x while the run waits breaks the lock beside it; the holder stops at its next batch and the run goes on.
        try tmux.press("x")
        try tmux.waitFor("Break a LIVE lock")
        try tmux.press("Right", "Enter")
        try tmux.waitFor("broke the lock of cairn up (cli)")
        #expect(try CairnProcess.wait(timeout: 20) { !holder.isRunning }, "the holder stops at its next batch")
        try tmux.waitFor("running 2026-06-01-drill: ✓ 2026-06-01-drill", timeout: 30)
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_markers WHERE migration_id = '2026-06-01-drill'") == 1)

        // A second holder: the wait runs out, the message offers x; the holder is killed; x from the message breaks the stale lock.
        try workspace.write("seeds/2026-06-02-drill.sql", drillSeed("second", count: 400))
        let (second, _) = try startLogged(
            workspace, ["up", "--db", workspace.database, "--throttle", "150"], log: "second.log")
        defer { kill(second.processIdentifier, SIGKILL); second.waitUntilExit() }
        try tmux.waitFor("pid \(second.processIdentifier) on ")
        try tmux.press("r")
        try tmux.waitFor("Run the next migration")
        try tmux.press("Right", "Enter")
        let refused = try tmux.waitFor("press x to break it", timeout: 20)
        #expect(!refused.contains("cairn unlock --force"), "the console offers its own key:\n\(refused)")
        kill(second.processIdentifier, SIGKILL)
        second.waitUntilExit()
        try tmux.waitFor("STALE lock of cairn up (cli)", timeout: 10)
        try tmux.press("x")
        try tmux.waitFor("Break a stale lock")
        try tmux.press("Right", "Enter")
        try tmux.waitFor("broke the lock of cairn up (cli)")
        try tmux.waitForAbsence("STALE lock")
        try tmux.press("q")
        try tmux.waitFor("[exited 0]")
    }

    @Test("the preview shows every section with counts and payloads; enter opens an event whole; D previews every pending one in order")
    func fullPreviewInTheTerminal() throws {
        let workspace = try demoWorkspace()
        let tmux = try TmuxSession(["--db", workspace.database], in: workspace.url, width: 140, height: 40)
        try tmux.waitFor("Migrations 1/5")
        try tmux.press("j", "j", "d")
        let preview = try tmux.waitFor("idempotent ✓")
        for part in ["events that would be appended · 2", "read-model changes · 2 rows", "rejections · 0",
                     #"roles: ["Admin"] →"#, #"    {""#, "line "] {
            #expect(preview.contains(part), "missing \(part):\n\(preview)")
        }
        try tmux.press("/")
        try tmux.type("m-admin-globex v2")
        try tmux.press("Enter")
        try tmux.waitFor("match 1 of")
        try tmux.press("Enter")
        try tmux.waitFor("event tenant-membership.updated · m-admin-globex v2")
        // The viewer's frame is drawn in one refresh, but the capture may land between two: wait for its foot too.
        let viewer = try tmux.waitFor("esc closes")
        #expect(viewer.contains("event tenant-membership.updated · m-admin-globex v2"))
        #expect(viewer.contains(#""roles": ["#), "pretty-printed:\n\(viewer)")
        try tmux.press("Escape", "Escape", "D")
        try tmux.waitFor("previewing 5 pending migrations in run order")
        try tmux.waitFor("rejections · 0")
        try tmux.press("Escape", "j", "j")
        try tmux.waitFor("after 2 pending before it, rolled back)")
        try tmux.press("q")
        try tmux.waitFor("[exited 0]")
    }

    @Test("with a diff of more than 10,000 lines open and no key pressed, the console stays idle; 500 queued page-downs catch up at once")
    func bigDiffLeavesTheConsoleIdle() throws {
        let workspace = try Workspace()
        try buildDemo(in: workspace)
        try workspace.write("seeds/2026-06-01-big.sql", """
            -- description: open 2,500 drill incidents
            -- batch: 500

            -- @write incident:write:open
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
            SELECT json_object('incidentId', 'i-big-' || i, 'tenantId', 'acme', 'title', 'drill ' || i, 'severity', 'low') AS payload
            FROM n WHERE NOT EXISTS (SELECT 1 FROM incidents WHERE id = 'i-big-' || n.i);
            """)
        let tmux = try TmuxSession(["--db", workspace.database], in: workspace.url, width: 120, height: 35)
        try tmux.waitFor("Migrations 1/1")
        try tmux.press("d")
        let screen = try tmux.waitFor("0 rejections · idempotent", timeout: 60)
        let total = screen.split(separator: "\n").compactMap { line -> Int? in
            guard let range = line.range(of: #"line [0-9,]+ of ([0-9,]+)"#, options: .regularExpression) else { return nil }
            return Int(line[range].split(separator: " ").last!.replacingOccurrences(of: ",", with: ""))
        }.first ?? 0
        #expect(total >= 10_000, "the diff has \(total) lines")
        guard let pid = try consolePid(workspace.database) else {
            Issue.record("no console process found")
            return
        }
        Thread.sleep(forTimeInterval: 1)
        let before = try cpuSeconds(pid)
        Thread.sleep(forTimeInterval: 6)
        let used = try cpuSeconds(pid) - before
        #expect(used / 6 <= 0.10, "idle with the diff open, the console used \(Int(used / 6 * 100))% of a core (debug build)")
        let typed = Date()
        try tmux.press("PageDown", times: 500)
        let deadline = Date().addingTimeInterval(30)
        var reached = 0
        while Date() < deadline && reached < 5_000 {
            let text = try tmux.capture()
            if let range = text.range(of: #"line [0-9,]+ of"#, options: .regularExpression) {
                reached = Int(text[range].dropFirst(5).dropLast(3).replacingOccurrences(of: ",", with: "")) ?? 0
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(reached >= 5_000, "the cursor got to line \(reached)")
        #expect(Date().timeIntervalSince(typed) < 20, "500 page-downs caught up in \(Int(Date().timeIntervalSince(typed))) s")
        try tmux.press("q")
        try tmux.waitFor("[exited 0]")
    }

    @Test("after a failed boot the console opens on the failed migration, its error, payload and fix in the detail")
    func opensOnTheFailedBoot() throws {
        let workspace = try demoWorkspace()
        let up = try workspace.cairn("up", "--db", workspace.database)
        #expect(up.status == 1, "\(up.output)")
        _ = try workspace.cairn("dry-run", "--db", workspace.database)
        let tmux = try TmuxSession(["--db", workspace.database], in: workspace.url, width: 140, height: 40)
        let screen = try tmux.waitFor("Migrations 4/5")
        #expect(screen.contains("2026-05-21-grant-responder-role                                 failed")
            || screen.contains("│ 2026-05-21-grant-responder-role"), "\(screen)")
        try tmux.waitFor("fix: pass stream_tenant = 'acme' for this row")
        let detail = try tmux.waitFor(#"payload: {"userId":"u-admin","tenantId":"globex""#)
        #expect(detail.contains("last run 1 failed"))
        // The log strip follows the failed run, not the newer dry-run.
        let strip = try tmux.waitFor("log · run 1 (cli, migrate, failed) · newest run that is not a preview")
        #expect(!strip.contains("(cli, dry-run"))
        try tmux.press("q")
        try tmux.waitFor("[exited 0]")
    }

    @Test("--readonly leaves the database file byte-identical, whatever keys are pressed")
    func readonlyLeavesTheFileByteIdentical() throws {
        let workspace = try demoWorkspace()
        let file = URL(fileURLWithPath: workspace.database)
        let before = try Data(contentsOf: file)
        let tmux = try TmuxSession(["--db", workspace.database, "--readonly"], in: workspace.url)
        try tmux.waitFor("Migrations 1/5")
        try tmux.press("j", "j", "d")
        try tmux.waitFor("preview is off")
        try tmux.press("D", "r", "R", "s", "x", "y", "Tab", "Enter", "Escape", "4", "b", "2", "t", "l", "v", "1")
        try tmux.press(":")
        try tmux.type("up")
        try tmux.press("Enter")
        try tmux.waitFor("read-only")
        try tmux.press("q")
        try tmux.waitFor("[exited 0]")
        #expect(try Data(contentsOf: file) == before, "the file is byte-identical")
        let wal = workspace.database + "-wal"
        let walBytes = (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
        #expect(walBytes == 0, "nothing was written to the WAL either (\(walBytes) bytes)")
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_runs") == 0)
    }

    @Test("a click selects the migration under it and the wheel scrolls, in a real terminal")
    func mouseInTheTerminal() throws {
        let workspace = try demoWorkspace()
        let tmux = try TmuxSession(["--db", workspace.database], in: workspace.url)
        try tmux.waitFor("Migrations 1/5")
        // An X10 mouse report, as a terminal sends it: ESC [ M, the button + 32, column + 33, row + 33.
        func report(button: Int, x: Int, y: Int) -> String {
            "\u{1B}[M" + String(UnicodeScalar(UInt8(button + 32))) + String(UnicodeScalar(UInt8(x + 33)))
                + String(UnicodeScalar(UInt8(y + 33)))
        }
        try tmux.type(report(button: 0, x: 6, y: 4) + report(button: 3, x: 6, y: 4))
        try tmux.waitFor("Migrations 3/5")
        try tmux.type(report(button: 65, x: 6, y: 4))
        try tmux.waitFor("Migrations 5/5")
        try tmux.type(report(button: 64, x: 6, y: 4))
        try tmux.waitFor("Migrations 2/5")
        try tmux.press("q")
        try tmux.waitFor("[exited 0]")
    }

    @Test("under NO_COLOR the screens before and after tab differ: focus is in the text; the hint bar follows it")
    func focusWithoutColour() throws {
        let workspace = try demoWorkspace()
        let tmux = try TmuxSession(["--db", workspace.database], in: workspace.url, environment: ["NO_COLOR": "1"])
        let before = try tmux.waitFor("j/k move")
        try tmux.press("Tab")
        let after = try tmux.waitFor("j/k line")
        #expect(before != after)
        #expect(before.contains("│▶ Migrations 1/5") && after.contains("│▶ 2026-05-01-create-status-tenant"), "\(after)")
        #expect(try tmux.capture(escapes: true).contains("\u{1B}[7m"), "the focused title is reversed, which needs no colour")
        try tmux.press("l")
        #expect(!(try tmux.waitFor("f follow")).contains("tab pane"), "tab is not offered where it does nothing")
        try tmux.press("q")
        try tmux.waitFor("[exited 0]")
    }

    @Test("y puts the selected id on the clipboard with OSC 52, through tmux to its paste buffer")
    func copyWithOSC52() throws {
        let workspace = try demoWorkspace()
        let tmux = try TmuxSession(["--db", workspace.database], in: workspace.url)
        try tmux.run("set", "-g", "set-clipboard", "on")
        try tmux.waitFor("Migrations 1/5")
        try tmux.press("y")
        try tmux.waitFor("copied 31 characters")
        #expect(try tmux.run("show-buffer") == "2026-05-01-create-status-tenant")
        try tmux.press("q")
        try tmux.waitFor("[exited 0]")
    }

    @Test("a ZWJ sequence in a description is drawn as all its parts, and the border beside it stays straight")
    func zwjSequencesDrawnWhole() throws {
        let workspace = try Workspace()
        try buildDemo(in: workspace)
        try workspace.write("seeds/2026-07-01-zwj.sql", """
            -- description: the 👩‍💻 on call
            -- batch: 10

            -- @write incident:write:open
            SELECT json_object('incidentId', 'i-x', 'tenantId', 'acme', 'title', 'x', 'severity', 'low') AS payload WHERE 0;
            """)
        let tmux = try TmuxSession(["--db", workspace.database], in: workspace.url)
        let screen = try tmux.waitFor("the 👩💻 on call")
        let line = screen.split(separator: "\n").first { $0.contains("on call") }.map(String.init) ?? ""
        #expect(line.hasSuffix("│"), "\(line)")
        #expect(line.unicodeScalars.filter { $0.value == 0x2502 }.count == 3, "three borders on the row: \(line)")
        try tmux.press("q")
        try tmux.waitFor("[exited 0]")
    }

    @Test("without a seeds folder the console says so whole and still shows the store's runs")
    func noSeedsFolderStillShowsRuns() throws {
        let workspace = try demoWorkspace()
        let up = try workspace.cairn("up", "--db", workspace.database)
        #expect(up.status == 1, "\(up.output)")
        try FileManager.default.removeItem(at: workspace.url.appendingPathComponent("seeds"))
        let tmux = try TmuxSession(["--db", workspace.database], in: workspace.url, width: 120)
        let screen = try tmux.waitFor("does not exist or is not a folder")
        #expect(screen.contains("pass --seeds DIR"), "the remedy is shown whole:\n\(screen)")
        try tmux.press("2")
        try tmux.waitFor("✗ 1 migrate cli failed")
        try tmux.press("q")
        try tmux.waitFor("[exited 0]")
    }
}
