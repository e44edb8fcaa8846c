import Foundation
import Testing

/// A seed that opens 5,000 incidents with 500-character titles: a few megabytes of events and rows.
let openFiveThousandLongIncidents = """
    -- description: open five thousand incidents with long titles

    -- @write incident:write:open
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
    SELECT json_object('incidentId', 'i-fill-' || i, 'tenantId', 'acme', 'title', printf('%0500d', i), 'severity', 'low') AS payload
    FROM n WHERE NOT EXISTS (SELECT 1 FROM incidents WHERE id = 'i-fill-' || n.i);
    """

/// A seed that registers 60,000 users with long names: tens of megabytes of events and rows.
let registerSixtyThousandUsers = """
    -- description: register a lot of users
    -- batch: 100

    -- @write user:write:register
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)
    SELECT json_object('userId', 'big-' || i, 'email', 'big' || i || '@x.test',
                       'name', 'Big user number ' || i || ' ' || printf('%0100d', i)) AS payload
    FROM n WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = 'big-' || n.i);
    """

/// A small tmpfs mounted for one test (the tests run as root, as CI does), unmounted on deinit.
final class SmallDisk {
    let url: URL

    init(size: String = "1m") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let mount = try CairnProcess.runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", url.path])
        guard mount.status == 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [
                NSLocalizedDescriptionKey: "mounting a \(size) tmpfs failed (the full-disk test needs root): \(mount.output)",
            ])
        }
    }

    deinit {
        _ = try? CairnProcess.runTool("/bin/umount", [url.path])
        try? FileManager.default.removeItem(at: url)
    }
}

@Suite("A full disk, for real", .serialized)
struct FullDiskTests {
    @Test("a full disk ends the run as failed with the error and what to do in its log; on a disk with room the next up completes")
    func fullDiskEndsTheRun() throws {
        let workspace = try Workspace()
        try buildDemo(in: workspace)
        try workspace.write("seeds/2026-06-01-fill.sql", openFiveThousandLongIncidents)
        let disk = try SmallDisk()
        let database = disk.url.appendingPathComponent("events.sqlite").path
        try FileManager.default.copyItem(atPath: workspace.database, toPath: database)

        let up = try workspace.cairn("up", "--db", database)
        #expect(up.status == 1, "\(up.output)")
        #expect(up.stderr.contains("is full"), "\(up.output)")
        #expect(up.stderr.contains("free space on that disk"), "\(up.output)")
        let log = try workspace.cairn("log", "1", "--db", database)
        #expect(log.stdout.contains("failed"), "\(log.output)")
        #expect(log.stdout.contains("is full"), "\(log.output)")
        let runs = try workspace.cairn("runs", "--db", database)
        #expect(!runs.stdout.contains("running"), "\(runs.output)")

        // Move the store to a disk with room, as an operator would, and finish.
        let roomy = workspace.path("moved.sqlite")
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: database + suffix) {
            try FileManager.default.copyItem(atPath: database + suffix, toPath: roomy + suffix)
        }
        let again = try workspace.cairn("up", "--db", roomy)
        #expect(again.status == 0, "\(again.output)")
        #expect(try scalar(workspace, roomy, "SELECT count(*) FROM incidents WHERE id LIKE 'i-fill-%'") == 5000)
        #expect(try scalar(workspace, roomy, "SELECT count(*) FROM cairn_runs WHERE status = 'running'") == 0)
        #expect(try scalar(workspace, roomy, "SELECT count(*) FROM cairn_lock") == 0)
    }

    @Test("on a disk that fills up at any point, the run still ends failed with the disk named in its log, and the lock goes",
          arguments: ["3800k", "4200k", "6m", "8m", "12m"])
    func fullDiskAtAnyPointEndsTheRun(size: String) throws {
        let workspace = try mediumDemoWorkspace()
        try workspace.write("seeds/2026-08-01-big-users.sql", registerSixtyThousandUsers)
        let disk = try SmallDisk(size: size)
        let database = disk.url.appendingPathComponent("events.sqlite").path
        try FileManager.default.copyItem(atPath: workspace.database, toPath: database)

        let up = try workspace.cairn("up", "--db", database)
        #expect(up.status == 1, "\(up.output)")
        #expect(try scalar(workspace, database, "SELECT count(*) FROM cairn_runs WHERE status = 'running'") == 0, "\(up.output)")
        #expect(try scalar(workspace, database, "SELECT count(*) FROM cairn_runs WHERE status = 'failed'") == 1)
        #expect(try scalar(workspace, database, "SELECT count(*) FROM cairn_lock") == 0)
        #expect(try scalar(workspace, database, "SELECT count(*) FROM cairn_run_log WHERE message LIKE '%is full%'") >= 1)
        let reserves = try FileManager.default.contentsOfDirectory(atPath: disk.url.path).filter { $0.contains("-cairn-reserve") }
        #expect(reserves.isEmpty, "\(reserves)")
        let integrity = try readOnlyQueue(path: database).read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == "ok")
    }

    @Test("a disk too full to record how a run would end refuses to start it: exit 1, the free space named, nothing written")
    func nearlyFullDiskRefusesToStart() throws {
        let workspace = try mediumDemoWorkspace()
        try workspace.write("seeds/2026-08-01-big-users.sql", registerSixtyThousandUsers)
        let size = try #require((try FileManager.default.attributesOfItem(atPath: workspace.database))[.size] as? Int)
        // Room for the file, its WAL index and a few WAL pages, not for 64 KiB more.
        let disk = try SmallDisk(size: "\((size + 100 * 1024) / 1024)k")
        let database = disk.url.appendingPathComponent("events.sqlite").path
        try FileManager.default.copyItem(atPath: workspace.database, toPath: database)
        let up = try workspace.cairn("up", "--db", database)
        #expect(up.status == 1, "\(up.output)")
        // Refused before the run (or, with less room still, while opening the store): the disk is named either way.
        #expect(up.stderr.contains("KiB free, too little to start a run") || up.stderr.contains("is full"), "\(up.output)")
        #expect(try scalar(workspace, database, "SELECT count(*) FROM cairn_runs") == 0)
        #expect(try scalar(workspace, database, "SELECT count(*) FROM cairn_lock") == 0)
        #expect(try scalar(workspace, database, "SELECT count(*) FROM users WHERE id LIKE 'big-%'") == 0)
    }
}
