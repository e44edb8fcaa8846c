import CairnConsole
import CairnRunner
import CairnStore
import Foundation
import GRDB

/// Peak resident memory of a child process.
enum Memory {
    /// Runs `cairn-bench` with `subcommand` (`apply-child …`, `dryrun-child …`) and returns its peak RSS in MiB.
    static func peak(of subcommand: [String]) throws -> Double {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        let arguments = [executable] + subcommand
        var cArguments = arguments.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, executable, &actions, nil, &cArguments, environ) == 0 else { throw BenchError("cannot spawn") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) == -1 && errno == EINTR {}
        guard status == 0 else { throw BenchError("\(subcommand[0]) failed (status \(status))") }
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
            let ledger = SQLiteLedger(db)
            let identity = ProcessIdentity(host: "web-1", pid: 1, user: nil)
            let migrations = catalog.migrations.filter { $0.id != BenchStore.migrationId }
            for index in 0..<runs {
                let failed = index % 10 == 0
                let id = try ledger.insertRun(kind: .migrate, trigger: .boot, options: "{}", identity: identity)
                for number in 0..<5 { try ledger.appendLogLine(run: id, level: .info, message: "line \(number) of run \(id)", migration: nil) }
                let migration = migrations[index % migrations.count]
                try ledger.startAttempt(run: id, migration: migration.id)
                try ledger.addProgress(run: id, migration: migration.id, rows: 0, events: 0)
                try ledger.finishAttempt(run: id, migration: migration.id, status: failed ? .failed : .applied, error: nil)
                try ledger.addToRun(id, events: 3, migrations: 1)
                try ledger.finishRun(id, status: failed ? .failed : .succeeded, error: nil)
                if index == runs - 1 {
                    // The newest run has a long log, as a big migration's has: the console loads and scrolls it.
                    for number in 0..<logLines {
                        try ledger.appendLogLine(
                            run: id, level: .info, message: "batch \(number): 256 rows, 256 events, lock refreshed", migration: nil)
                    }
                }
            }
            let applied = Set(try ledger.markers().map(\.migrationId))
            for migration in migrations.prefix(migrations.count * 4 / 5) where !applied.contains(migration.id) {
                try ledger.insertMarker(Marker(
                    migrationId: migration.id, checksum: migration.checksum, checksumVersion: Checksum.currentVersion,
                    description: migration.description,
                    appliedAt: Timestamp.now(), durationMilliseconds: 1, trigger: .boot, identity: identity, runId: 1,
                    eventsWritten: 0, allowDrift: false))
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

extension ConsoleBench {
    /// The console's CPU use, in percent of one core, with a diff of at least `rows` rows open
    /// and no key pressed, over `seconds`: the loop `ConsoleLoop` runs (a key wait of 80 ms,
    /// results drained, a tick a second reading the store, a frame when anything changed),
    /// with the cell screen in place of ncurses. Every thread of the process is counted.
    static func idleCPU(_ runner: MigrationRunner, rows: Int, seconds: Double) throws -> (percent: Double, rows: Int) {
        let controller = ConsoleController(runner: runner, state: ConsoleState())
        controller.send(.resized(width: 120, height: 35))
        controller.start()
        guard controller.settle(timeout: 30, until: { $0.snapshot?.nextPending != nil }) else {
            throw BenchError("the console never loaded a pending migration")
        }
        // The console opened on the first migration that needs a run: its detail gets the diff.
        guard let id = controller.state.selectedMigration?.id else { throw BenchError("no migration selected") }
        let events = (0..<(rows / 2)).map { index in
            PreviewModel.Event(type: "incident.opened", streamType: "incident", streamId: "i-\(index)", version: 1, tenant: "acme",
                               payload: #"{"incidentId":"i-\#(index)","severity":"low","tenantId":"acme","title":"drill"}"#)
        }
        let model = PreviewModel(runId: 1, events: events, changes: [], rejections: [], idempotent: true, note: nil)
        controller.send(.previewLoaded(id: id, result: .success(model)))
        controller.send(.key(.tab))
        let shown = controller.state.detailRows(width: Layout.of(controller.state).detailWidth).count
        _ = controller.render()
        // Idle is measured once the console has loaded what it shows: the newest run's long log
        // loads at start (the first-frame figure above), and the candidate count of the selection.
        guard controller.settle(timeout: 60, until: { $0.log.run != nil && !$0.log.lines.isEmpty }) else {
            throw BenchError("the console never loaded the log")
        }
        let settled = Date().addingTimeInterval(2)
        while Date() < settled {
            Thread.sleep(forTimeInterval: 0.08)
            if controller.drain() || controller.tickIfDue() { _ = controller.render() }
        }
        func cpu() -> Double {
            var usage = rusage()
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
            return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = cpu()
        var shownScreen = controller.render()
        while Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 < seconds {
            Thread.sleep(forTimeInterval: 0.08)
            var changed = controller.drain()
            changed = controller.tickIfDue() || changed
            if changed {
                let screen = controller.render()
                if screen != shownScreen { shownScreen = screen }
            }
        }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return ((cpu() - cpuStart) / wall * 100, shown)
    }
}

