import CairnDemo
import CairnStore
import Foundation
import GRDB
import Testing

@Suite("The ledger and the store seam")
struct LedgerTests {
    @Test("the change token moves when another connection commits a run, a log line, an override or the lock, and not on reads")
    func changeTokenMovesOnCommits() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        let other = try EventStore(path: scratch.path("events.sqlite"), domain: DemoApplication.domain)
        let identity = ProcessIdentity(host: "test", pid: 1, user: nil)
        var token = try store.changeToken()
        func moved(_ what: String, _ write: (any LedgerWriting) throws -> Void) throws {
            try other.writeLedger(write)
            let next = try store.changeToken()
            #expect(next != token, "the token did not move after \(what)")
            token = next
        }
        _ = try store.readLedger { try $0.runs(limit: 10) }
        #expect(try store.changeToken() == token)
        var run: Int64 = 0
        try moved("a new run") { run = try $0.insertRun(kind: .migrate, trigger: .cli, options: "{}", identity: identity) }
        try moved("a log line") { try $0.appendLogLine(run: run, level: .info, message: "hello", migration: nil) }
        try moved("the end of the run") { try $0.finishRun(run, status: .succeeded, error: nil) }
        try moved("a skip") {
            try $0.putOverride(Override(migrationId: "m", reason: "r", createdBy: "t", createdAt: Timestamp.now(), expiresAt: nil))
        }
        try moved("the lock") { try $0.insertLock(token: "x", holder: "h", identity: identity, run: nil, heartbeat: 5) }
        try moved("its release") { try $0.releaseLock(token: "x") }
    }

    @Test("records decode with their enums, and a finished run cannot be finished again")
    func recordsDecodeAndRunsEndOnce() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        let identity = ProcessIdentity(host: "h", pid: 42, user: "u")
        let run = try store.writeLedger { ledger in
            let run = try ledger.insertRun(kind: .dryRun, trigger: .console, options: "{}", identity: identity)
            try ledger.startAttempt(run: run, migration: "2026-01-01-a")
            return run
        }
        try store.writeLedger { ledger throws in
            #expect(try ledger.markInterrupted(run: run, reason: "gone"))
            #expect(try !ledger.markInterrupted(run: run, reason: "again"))
            #expect(try !ledger.finishRun(run, status: .succeeded, error: nil))
        }
        let (record, attempt, lines) = try store.readLedger { ledger in
            (try ledger.run(run), try ledger.latestAttempts()["2026-01-01-a"], try ledger.logLines(run: run, after: 0, limit: 10))
        }
        #expect(record?.kind == .dryRun && record?.trigger == .console && record?.status == .interrupted)
        #expect(record?.error == "interrupted: gone")
        #expect(attempt?.status == .interrupted)
        #expect(lines.map(\.level) == [.error] && lines.first?.message == "interrupted: gone")
    }

    @Test("a new store, its -wal and -shm files and the folders created for it are the owner's only; an existing file keeps its mode")
    func newStoresAreOwnerOnly() throws {
        let scratch = try Scratch()
        let path = scratch.path("a/b/events.sqlite")
        let store = try EventStore(path: path, domain: DemoApplication.domain, mode: .createIfNeeded)
        _ = try DemoGenerator().build(into: store, size: .small) { _ in }
        func mode(_ path: String) throws -> Int {
            try #require((try FileManager.default.attributesOfItem(atPath: path))[.posixPermissions] as? Int)
        }
        #expect(try mode(path) == 0o600)
        #expect(try mode(path + "-wal") == 0o600)
        #expect(try mode(path + "-shm") == 0o600)
        #expect(try mode(scratch.path("a/b")) == 0o700)
        #expect(try mode(scratch.path("a")) == 0o700)
        try store.pool.close()

        let shared = scratch.path("shared.sqlite")
        _ = FileManager.default.createFile(atPath: shared, contents: nil, attributes: [.posixPermissions: 0o640])
        let opened = try EventStore(path: shared, domain: DemoApplication.domain, mode: .createIfNeeded)
        try opened.pool.close()
        #expect(try mode(shared) == 0o640)
    }
}
