import CairnDemo
import CairnStore
import Foundation
import GRDB
import Testing

@Suite("A dry-run beside the application: it works on a private copy, so nobody waits for it", .serialized)
struct DryRunBesideTheApplicationTests {
    @Test("while a dry-run previews a big migration, an application's writes never wait a second, `up` takes the lock at once, and no copy is left")
    func applicationWritesNeverWaitForADryRun() throws {
        let workspace = try mediumDemoWorkspace()
        try workspace.write("seeds/2026-06-01-viewer.sql", giveEveryMemberViewer)
        let (process, log) = try startLogged(workspace, ["dry-run", "--db", workspace.database], log: "dry-run.log")
        #expect(try CairnProcess.wait(timeout: 30) { !previewCopies(workspace).isEmpty })

        // The application: one short write transaction every 10 ms, as long as the preview runs.
        let application = try DatabaseQueue(path: workspace.database, configuration: {
            var configuration = Configuration()
            configuration.busyMode = .timeout(30)
            return configuration
        }())
        var worst: TimeInterval = 0
        var writes = 0
        while process.isRunning {
            let started = Date()
            try application.write { db in
                try db.execute(sql: "UPDATE tenants SET name = name WHERE id = (SELECT min(id) FROM tenants)")
            }
            worst = max(worst, Date().timeIntervalSince(started))
            writes += 1
            Thread.sleep(forTimeInterval: 0.01)
        }
        try application.close()
        process.waitUntilExit()
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.contains("the first 1,000 shown"), "\(output.prefix(600))")
        #expect(writes > 20, "the preview should have run long enough to measure (\(writes) writes)")
        #expect(worst < 1.0, "the application waited \(worst) s for a write beside the dry-run")
        #expect(previewCopies(workspace).isEmpty)
        #expect(try scalar(workspace, "SELECT count(*) FROM events WHERE migration_id IS NOT NULL") == 0)
    }

    @Test("`up` beside a running dry-run takes the lock and applies at once; the dry-run still shows the store as it was when it began")
    func upIsNotBlockedByADryRun() throws {
        let workspace = try mediumDemoWorkspace()
        try workspace.write("seeds/2026-06-01-viewer.sql", giveEveryMemberViewer)
        let (process, log) = try startLogged(workspace, ["dry-run", "--db", workspace.database, "--show", "3"], log: "dry-run.log")
        #expect(try CairnProcess.wait(timeout: 30) { !previewCopies(workspace).isEmpty })
        let started = Date()
        let up = try workspace.cairn("up", "--db", workspace.database, "--lock-timeout", "5")
        #expect(up.status == 0, "\(up.output)")
        #expect(Date().timeIntervalSince(started) < 30)
        process.waitUntilExit()
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.contains("the first 3 shown"), "\(output.prefix(600))")
        #expect(previewCopies(workspace).isEmpty)
    }

    @Test("a dry-run on a disk without room for its copy says so, names the disk's free space and previews nothing")
    func noRoomForTheCopyIsExplained() throws {
        let workspace = try Workspace()
        try buildDemo(in: workspace)
        try workspace.write("seeds/2026-06-01-viewer.sql", giveEveryMemberViewer)
        let size = try #require((try FileManager.default.attributesOfItem(atPath: workspace.database))[.size] as? Int)
        // Room for the file and the run's bookkeeping, not for a copy of it.
        let disk = try SmallDisk(size: "\((size + 2 << 20) / 1024)k")
        let database = disk.url.appendingPathComponent("events.sqlite").path
        try FileManager.default.copyItem(atPath: workspace.database, toPath: database)
        let result = try workspace.cairn("dry-run", "--db", database)
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("a dry-run runs on a private copy of"), "\(result.output)")
        #expect(result.output.contains("free (beside the run's 1 MiB reserve) of the"), "\(result.output)")
        let left = try FileManager.default.contentsOfDirectory(atPath: disk.url.path).filter { $0.contains("-cairn-preview-") }
        #expect(left.isEmpty, "\(left)")
        #expect(try scalar(workspace, database, "SELECT count(*) FROM cairn_runs WHERE status = 'running'") == 0)
        #expect(try scalar(workspace, database, "SELECT count(*) FROM cairn_runs WHERE kind = 'dry-run' AND status = 'failed'") == 1)
    }

    @Test("a disk that fills up while a dry-run writes to its copy is named as full; the copy goes, the store is intact")
    func diskFullDuringThePreviewIsNamed() throws {
        let workspace = try Workspace()
        try buildDemo(in: workspace)
        try workspace.write("seeds/2026-08-01-big-users.sql", registerSixtyThousandUsers)
        let size = try #require((try FileManager.default.attributesOfItem(atPath: workspace.database))[.size] as? Int)
        // Room for the file, the reserve and the copy, not for the preview's tens of megabytes of writes.
        let disk = try SmallDisk(size: "\((size * 3 + 7 << 20) / 1024)k")
        let database = disk.url.appendingPathComponent("events.sqlite").path
        try FileManager.default.copyItem(atPath: workspace.database, toPath: database)
        let result = try workspace.cairn("dry-run", "--db", database)
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("is full"), "\(result.output)")
        #expect(!result.output.contains("Transaction was aborted"), "\(result.output)")
        let left = try FileManager.default.contentsOfDirectory(atPath: disk.url.path).filter { $0.contains("-cairn-preview-") }
        #expect(left.isEmpty, "\(left)")
        #expect(try scalar(workspace, database, "SELECT count(*) FROM cairn_runs WHERE status = 'running'") == 0)
        #expect(try scalar(workspace, database, "SELECT count(*) FROM cairn_run_log WHERE message LIKE '%is full%'") >= 1)
        let integrity = try readOnlyQueue(path: database).read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == "ok")
    }
}
