import CairnDemo
import CairnStore
import Foundation
import Testing

/// What an application's developer and operator meet on the command line: names, bad words, counts.
@Suite("The command line an application embeds", .serialized)
struct EmbeddingCommandLineTests {
    @Test("a word that is no command is refused by name with the nearest command, exit 2, nothing created")
    func unknownCommandIsNamed() throws {
        let workspace = try Workspace()
        let typo = try workspace.cairn("stauts", "--db", workspace.database)
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("'stauts' is not a cairn command (did you mean `status`?)"), "\(typo.output)")
        #expect(!typo.stderr.contains("Error: "))
        #expect(!typo.output.contains("open --help"))
        let nonsense = try workspace.cairn("nonsense")
        #expect(nonsense.status == 2)
        #expect(nonsense.stderr.contains("'nonsense' is not a cairn command"))
        #expect(nonsense.stderr.contains("`cairn --help` lists them: "))
        #expect(!FileManager.default.fileExists(atPath: workspace.database))
    }

    @Test("the command line calls itself by the name it was started under")
    func namedAfterTheExecutable() throws {
        let workspace = try Workspace()
        let link = workspace.url.appendingPathComponent("ops-cairn")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: CairnProcess.binary)
        let process = Process()
        process.executableURL = link
        process.arguments = ["--help"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let help = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(help.contains("USAGE: ops-cairn"), "\(help)")
        #expect(help.contains("demo"), "Cairn's own executable has the demo builder")
    }

    @Test("dry-run refuses a negative limit by value, and --summary beside --limit or --json, exit 2, nothing recorded")
    func dryRunLimitsAreChecked() throws {
        let workspace = try Workspace()
        try workspace.copyRepositorySeeds()
        try buildDemo(in: workspace)
        let runs = try scalar(workspace, "SELECT count(*) FROM cairn_runs")
        let negative = try workspace.cairn("dry-run", "--db", workspace.database, "--limit", "-1")
        #expect(negative.status == 2)
        #expect(negative.stderr.contains("--limit must be 0 or more (got -1)"), "\(negative.output)")
        let both = try workspace.cairn("dry-run", "--db", workspace.database, "--summary", "--limit", "3")
        #expect(both.status == 2)
        #expect(both.stderr.contains("pass --summary or --limit, not both"))
        let json = try workspace.cairn("dry-run", "--db", workspace.database, "--summary", "--json")
        #expect(json.status == 2)
        let steps = try workspace.cairn("dry-run", "--db", workspace.database, "--revert-steps", "-2")
        #expect(steps.status == 2)
        #expect(steps.stderr.contains("--revert-steps must be at least 1 (got -2)"), "\(steps.output)")
        #expect(try scalar(workspace, "SELECT count(*) FROM cairn_runs") == runs)
    }

    @Test("dry-run --summary counts the demo's migrations by event type and table without listing a row")
    func dryRunSummaryCounts() throws {
        let workspace = try Workspace()
        try workspace.copyRepositorySeeds()
        try buildDemo(in: workspace)
        let summary = try workspace.cairn("dry-run", "2026-05-20-fix-admin-roles", "--db", workspace.database, "--summary")
        #expect(summary.status == 0, "\(summary.output)")
        #expect(summary.stdout.contains("✓ 2026-05-20-fix-admin-roles"))
        #expect(summary.stdout.contains("tenant-membership.updated"))
        #expect(summary.stdout.contains("memberships (~"))
        #expect(!summary.stdout.contains("roles:"))
        #expect(!summary.stdout.contains("+ tenant-membership.updated  tenant-membership"))
    }
}
