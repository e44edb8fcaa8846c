import Foundation
import Testing

/// The application's own `library-cairn` and `library-app`, run as processes the way an operator runs them.
@Suite("library-cairn")
struct LibraryCommandLineTests {
    /// The folder `swift build` put the executables in, beside the test bundle.
    static let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()

    /// Runs one of the package's executables in `folder`; returns its exit code and its output and errors together.
    static func run(_ tool: String, _ arguments: [String], in folder: URL) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = binaries.appendingPathComponent(tool)
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("the command line speaks of itself as library-cairn and has no demo command")
    func namesItselfAndHidesDemo() throws {
        let sandbox = try LibraryLoansTests.Sandbox()
        let (code, help) = try Self.run("library-cairn", ["--help"], in: sandbox.folder)
        #expect(code == 0)
        #expect(help.contains("USAGE: library-cairn"))
        #expect(!help.contains("demo"))
        #expect(!help.contains("USAGE: cairn"))
        let (demoCode, demo) = try Self.run("library-cairn", ["demo"], in: sandbox.folder)
        #expect(demoCode == 2)
        #expect(demo.contains("library-cairn has no demo"))
    }

    @Test("a failed boot is triaged with library-cairn: the error points at its log, the log and status show the row")
    func failedBootIsTriagedWithTheApplicationsCommandLine() throws {
        let sandbox = try LibraryLoansTests.Sandbox()
        let (first, firstOutput) = try Self.run("library-app", ["--db", sandbox.database, "--seeds", sandbox.seeds, "--sample"], in: sandbox.folder)
        #expect(first == 0, "\(firstOutput)")
        #expect(firstOutput.contains("✓ 2026-11-02-trim-book-titles"))
        try """
            -- description: lend a book that is already out

            -- @write library:write:lend-book
            SELECT json_object('bookId', 'b2', 'memberId', 'm1', 'dueOn', '2027-02-01') AS payload;
            """.write(toFile: sandbox.seeds + "/2026-11-20-lend-again.sql", atomically: true, encoding: .utf8)
        let (failed, failure) = try Self.run("library-app", ["--db", sandbox.database, "--seeds", sandbox.seeds], in: sandbox.folder)
        #expect(failed == 1)
        #expect(failure.contains("b2 is lent to"))
        let (_, status) = try Self.run("library-cairn", ["status", "--db", sandbox.database, "--seeds", sandbox.seeds], in: sandbox.folder)
        #expect(status.contains("2026-11-20-lend-again"))
        #expect(status.contains("failed"))
        let (logCode, log) = try Self.run("library-cairn", ["log", "--db", sandbox.database], in: sandbox.folder)
        #expect(logCode == 0)
        #expect(log.contains("b2 is lent to"))
        let (upCode, up) = try Self.run("library-cairn", ["up", "--db", sandbox.database, "--seeds", sandbox.seeds], in: sandbox.folder)
        #expect(upCode == 1)
        #expect(up.contains("library-cairn log"))
        #expect(!up.contains("`cairn "))
    }

    @Test("the text dry-run quotes a whitespace fix and the summary counts it by type and table")
    func dryRunQuotesAndSummarises() throws {
        let sandbox = try LibraryLoansTests.Sandbox()
        // The desk's history without the seeds: move them aside for the first boot.
        let aside = sandbox.folder.appendingPathComponent("later")
        try FileManager.default.moveItem(atPath: sandbox.seeds, toPath: aside.path)
        try FileManager.default.createDirectory(atPath: sandbox.seeds, withIntermediateDirectories: true)
        let (code, output) = try Self.run("library-app", ["--db", sandbox.database, "--seeds", sandbox.seeds, "--sample"], in: sandbox.folder)
        #expect(code == 0, "\(output)")
        let database = ["--db", sandbox.database, "--seeds", aside.path]
        let (_, diff) = try Self.run("library-cairn", ["dry-run", "2026-11-02-trim-book-titles", "--limit", "2"] + database, in: sandbox.folder)
        #expect(diff.contains(#"title: "Book 10 " → "Book 10""#))
        #expect(diff.contains("the first 2 shown"))
        let (_, summary) = try Self.run("library-cairn", ["dry-run", "--summary"] + database, in: sandbox.folder)
        #expect(summary.contains("40 book.retitled"))
        #expect(summary.contains("books (~40 updated)"))
        #expect(summary.contains("loans (-100 deleted)"))
        #expect(!summary.contains("title:"))
    }
}
