import CairnConsole
import CairnRunner
import CairnStore
import Foundation
import GRDB

/// Peak resident memory of a child process.
enum Memory {
    /// Runs `cairn-bench apply-child` on `database` and returns its peak RSS in MiB.
    static func peakOfApply(database: String, seeds: String) throws -> Double {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        let arguments = [executable, "apply-child", "--db", database, "--seeds", seeds]
        var cArguments = arguments.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, executable, &actions, nil, &cArguments, environ) == 0 else { throw BenchError("cannot spawn") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) == -1 && errno == EINTR {}
        guard status == 0 else { throw BenchError("the apply child failed (status \(status))") }
        return Double(usage.ru_maxrss) / 1024
    }
}

/// Adds run history and markers so status reads a realistic bookkeeping load.
enum History {
    static func add(runs: Int, logLines: Int, seedsFolder: String, to database: String) throws {
        let catalog = try MigrationCatalog.load(seeds: seedsFolder)
        let queue = try DatabaseQueue(path: database)
        defer { try? queue.close() }
        try queue.write { db in
            let now = Timestamp.now()
            let run = try db.makeStatement(sql: """
                INSERT INTO cairn_runs (kind, trigger, status, started_at, finished_at, host, pid, options, migrations_applied, events_written)
                VALUES ('migrate', 'boot', ?, ?, ?, 'web-1', 1, '{}', 1, 3)
                """)
            let line = try db.makeStatement(sql: "INSERT INTO cairn_run_log (run_id, at, level, message) VALUES (?, ?, 'info', ?)")
            let attempt = try db.makeStatement(sql: """
                INSERT INTO cairn_attempts (run_id, migration_id, status, started_at, rows_done, events_written, batches)
                VALUES (?, ?, ?, ?, 0, 0, 1)
                """)
            let migrations = catalog.migrations.filter { $0.id != BenchStore.migrationId }

            for index in 0..<runs {
                try run.execute(arguments: [index % 10 == 0 ? "failed" : "succeeded", now, now])
                let id = db.lastInsertedRowID
                for number in 0..<5 { try line.execute(arguments: [id, now, "line \(number) of run \(id)"]) }
                let migration = migrations[index % migrations.count]
                try attempt.execute(arguments: [id, migration.id, index % 10 == 0 ? "failed" : "applied", now])
                if index == runs - 1 {
                    // The newest run has a long log, as a big migration's has: the console loads and scrolls it.
                    for number in 0..<logLines {
                        try line.execute(arguments: [id, now, "batch \(number): 256 rows, 256 events, lock refreshed"])
                    }
                }
            }
            let marker = try db.makeStatement(sql: """
                INSERT OR IGNORE INTO cairn_markers (migration_id, checksum, description, applied_at, duration_ms, trigger, host, pid, run_id, events_written)
                VALUES (?, ?, ?, ?, 1, 'boot', 'web-1', 1, 1, 0)
                """)
            for migration in migrations.prefix(migrations.count * 4 / 5) {
                try marker.execute(arguments: [migration.id, migration.checksum, migration.description, now])
            }
        }
    }
}

/// The console's first frame and keypress-to-frame, rendered into the cell screen.
enum ConsoleBench {
    static func measure(_ runner: MigrationRunner, logLines: Int) throws -> (firstFrame: Double, keyToFrame: Double, logLoaded: Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let controller = ConsoleController(runner: runner, state: ConsoleState())
        controller.send(.resized(width: 100, height: 30))
        controller.start()
        guard controller.settle(timeout: 30, until: { $0.snapshot != nil }) else {
            throw BenchError("the console never loaded")
        }
        _ = controller.render()
        // The first frame with data: the migration list. The log loads beside it, off the UI thread.
        let firstFrame = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard controller.settle(timeout: 60, until: { $0.log.lines.count >= logLines }) else {
            throw BenchError("the console never loaded the whole log")
        }
        let logLoaded = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var times: [Double] = []
        func press(_ key: Key) {
            let pressed = DispatchTime.now().uptimeNanoseconds
            controller.send(.key(key))
            _ = controller.render()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - pressed) / 1e9)
        }
        // Down and up the migration list; then the long log: pages down and up, end and top,
        // unwrapped and wrapped (356 presses).
        for index in 0..<200 { press(index % 2 == 0 ? .character("j") : .character("k")) }
        press(.character("l"))
        for wrapped in [false, true] {
            if wrapped { press(.character("w")) }
            for index in 0..<70 { press(index % 2 == 0 ? .pageDown : .pageUp) }
            for key: Key in [.character("G"), .character("g"), .character("g")] { press(key) }
        }
        press(.character("w"))
        return (firstFrame, times.sorted()[times.count * 99 / 100], logLoaded)
    }
}
