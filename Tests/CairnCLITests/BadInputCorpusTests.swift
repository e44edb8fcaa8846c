import CairnDemo
import CairnStore
import Crypto
import Foundation
import GRDB
import Testing
import TOMLKit

/// One case of `Tests/Corpus`: a bad input, the command that meets it, and what it must say.
struct CorpusCase: CustomTestStringConvertible, Sendable {
    let file: String
    let what: String
    let setup: String
    let command: [String]
    let exit: Int32
    let expect: [String]
    let files: [String: String]
    let binaryFiles: [String: [UInt8]]

    var testDescription: String { URL(fileURLWithPath: file).lastPathComponent }

    /// The seed the `applied` setup applies; a case's files may change or remove it.
    static let appliedSeed = """
        -- description: a case of the corpus, applied
        -- @write incident:write:open
        SELECT json_object('incidentId', 'i-z', 'tenantId', 'acme', 'title', 't', 'severity', 'low') AS payload WHERE 0;
        """

    /// `text` as a Python string literal.
    static func pythonString(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Corpus")

    /// Every case in the corpus folder.
    static func all() -> [CorpusCase] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".toml") }.sorted().compactMap { name in
            let path = folder.appendingPathComponent(name).path
            guard let text = try? String(contentsOfFile: path, encoding: .utf8), let table = try? TOMLTable(string: text) else {
                return CorpusCase(file: path, what: "unreadable", setup: "none", command: [], exit: -1, expect: [], files: [:], binaryFiles: [:])
            }
            let what = text.split(separator: "\n").first.map { String($0.dropFirst(2)) } ?? name
            var files: [String: String] = [:]
            for key in table["files"]?.table?.keys ?? [] { files[key] = table["files"]?.table?[key]?.string }
            var binary: [String: [UInt8]] = [:]
            for key in table["hex"]?.table?.keys ?? [] {
                let hex = Array(table["hex"]?.table?[key]?.string ?? "")
                binary[key] = stride(from: 0, to: hex.count, by: 2).map { UInt8(String(hex[$0...$0 + 1]), radix: 16)! }
            }
            return CorpusCase(
                file: path, what: what, setup: table["setup"]?.string ?? "demo",
                command: table["command"]?.array?.compactMap(\.string) ?? [], exit: Int32(table["exit"]?.int ?? -1),
                expect: table["expect"]?.array?.compactMap(\.string) ?? [], files: files, binaryFiles: binary)
        }
    }
}

/// A digest of the database file and its write-ahead log, to prove a refusal wrote nothing.
func databaseDigest(_ workspace: Workspace) -> String {
    var hasher = SHA256()
    for suffix in ["", "-wal"] {
        if let data = FileManager.default.contents(atPath: workspace.database + suffix) { hasher.update(data: data) }
        hasher.update(data: Data([0]))
    }
    return hasher.finalize().map { String(format: "%02x", $0) }.joined()
}

@Suite("Bad-input corpus")
struct BadInputCorpusTests {
    @Test("the corpus has at least 40 cases")
    func corpusSize() {
        #expect(CorpusCase.all().count >= 40)
    }

    @Test("each bad input gets a clear message naming what and where, its exit code, and no change to the database",
          arguments: CorpusCase.all())
    func badInput(_ corpus: CorpusCase) throws {
        let workspace = try Workspace()
        let holder = try prepare(corpus.setup, workspace)
        defer {
            if let holder { CairnProcess.stopHelper(holder) }
        }
        for (path, text) in corpus.files { try workspace.write(path, text) }
        for (path, bytes) in corpus.binaryFiles {
            try Data(bytes).write(to: workspace.url.appendingPathComponent(path))
        }
        let before = databaseDigest(workspace)
        let arguments = corpus.command.map { $0 == "{db}" ? workspace.database : $0 }
        let result = try CairnProcess.run(arguments, in: workspace.url)
        #expect(result.status == corpus.exit, "\(corpus.testDescription): exit \(result.status)\n\(result.output)")
        for text in corpus.expect {
            #expect(result.output.contains(text), "\(corpus.testDescription) should say \"\(text)\":\n\(result.output)")
        }
        #expect(!result.output.contains("Fatal error"), "\(result.output)")
        #expect(databaseDigest(workspace) == before, "\(corpus.testDescription) changed the database")
    }

    /// Puts the database of a setup in place; returns a process that must outlive the command, if any.
    func prepare(_ setup: String, _ workspace: Workspace) throws -> pid_t? {
        let path = workspace.database
        switch setup {
        case "none":
            break
        case "demo":
            try buildDemo(in: workspace)
        case "applied":
            // One applied migration that wrote nothing: the recovery verbs' cases edit, delete or name it.
            try buildDemo(in: workspace)
            try workspace.write("seeds/2026-05-20-case-applied.sql", CorpusCase.appliedSeed)
            let up = try CairnProcess.run(["up", "--db", path], in: workspace.url)
            #expect(up.status == 0, "\(up.output)")
        case "text-file":
            try "these are notes, not a database\n".write(toFile: path, atomically: true, encoding: .utf8)
        case "empty-file":
            _ = FileManager.default.createFile(atPath: path, contents: Data())
        case "truncated":
            try buildDemo(in: workspace)
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path))
        case "read-only":
            try buildDemo(in: workspace)
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        case "newer-schema":
            try buildDemo(in: workspace)
            try damage(workspace, "UPDATE cairn_meta SET value = '99' WHERE key = 'schema_version'")
        case "plain-sqlite":
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in try db.execute(sql: "CREATE TABLE notes (text TEXT)") }
            try queue.close()
        case "locked":
            // Another live process holds the lock and keeps the database open, as a
            // runner in the middle of a migration does.
            try buildDemo(in: workspace)
            let holder = try CairnProcess.spawnHelper(["python3", "-c", """
                import os, socket, sqlite3, time
                db = sqlite3.connect(\(CorpusCase.pythonString(path)), isolation_level=None)
                db.execute("INSERT INTO cairn_lock (id, token, holder, host, pid, acquired_at, heartbeat_at) "
                           "VALUES (1, 'other', 'cairn up (cli)', ?, ?, '2026-01-01T00:00:00.000Z', '2999-01-01T00:00:00.000Z')",
                           (socket.gethostname(), os.getpid()))
                time.sleep(120)
                """])
            #expect(try CairnProcess.wait(timeout: 20) { try scalar(workspace, "SELECT count(*) FROM cairn_lock") == 1 })
            return holder
        default:
            Issue.record("unknown setup \(setup)")
        }
        return nil
    }
}
