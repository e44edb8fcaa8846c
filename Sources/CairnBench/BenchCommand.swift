import ArgumentParser
import CairnConsole
import CairnDemo
import CairnPostgres
import CairnRunner
import CairnStore
import Foundation
import Logging

/// `cairn-bench`: measures Cairn against the physical limit, as ratios taken in one run.
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cairn-bench",
        abstract: "Measure apply, rebuild, dry-run, status, console and memory; print ratios measured in one run.",
        discussion: """
            Build in release: swift run -c release cairn-bench [--quick] [--json] [--peer] [--postgres URL]
            Workloads (full / --quick):
              apply    a migration through the handlers over 100,000 / 10,000 memberships with 3 events
                       of history each, inline projections on, against a raw-SQL reference; with --peer
                       also Python's eventsourcing doing the same, alternately
              rebuild  replaying every event of that store into all projections, against the raw replay
                       (a json_extract scan plus the projections' writes as prepared statements)
              dry-run  of a 10,000 / 2,000-row migration with its diff, against applying the same rows;
                       and the peak memory of dry-runs of those rows and ten times as many
              status   on 1,000,000 / 200,000 events with 500 / 100 seeds and 10,000 / 2,000 runs,
                       against the same on a store ten times smaller
              console  first frame and keypress-to-frame on that store, rendered headless, with a newest
                       run whose log has 50,000 / 10,000 lines; then 5 s idle with a 10,000-row
                       diff open, no key pressed: CPU in percent of one core (the loop the
                       terminal runs, with the cell screen in place of ncurses)
              memory   peak resident memory of the apply of 10,000 / 2,000 rows on that store,
                       against the same on the smaller store
            """,
        subcommands: [Run.self, ApplyChild.self, DryRunChild.self, Single.self],
        defaultSubcommand: Run.self)

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", shouldDisplay: false)

        @Flag(name: .long, help: "Smaller stores, so it finishes in under a minute.")
        var quick = false

        @Flag(name: .long, help: "Print one JSON object instead of the table.")
        var json = false

        @Option(name: .long, help: ArgumentHelp(
            "Also measure apply on this PostgreSQL server (a URL whose user may create databases): the postgres section.",
            valueName: "url"))
        var postgres: String?

        @Flag(name: .long, help: ArgumentHelp(
            "Also run the apply in Python's eventsourcing 9.5.6 on SQLite, alternately with Cairn's (pip install eventsourcing==9.5.6)."))
        var peer = false

        @Option(name: .long, help: ArgumentHelp("The Python interpreter for --peer.", valueName: "path"))
        var python = "python3"

        func run() throws {
            let sizes = quick ? Sizes.quick : Sizes.full
            let server = try postgres.map { try PostgresURL($0) }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            var bench = Workloads(folder: folder.path, sizes: sizes, verbose: !json)
            if peer { bench.peer = try PythonPeer(python: python, script: PythonPeer.defaultScript) }
            var results = try bench.all()
            if let server {
                let measured = try PostgresBench(
                    server: server, aggregates: sizes.postgresAggregates, repeats: sizes.repeats,
                    seeds: folder.appendingPathComponent("postgres-seeds").path, note: bench.note
                ).measure()
                results.postgres = (measured.cairn, measured.reference, sizes.postgresAggregates)
            }
            if json {
                print(results.json.jsonText)
            } else {
                print(results.table(sizes: sizes))
            }
        }
    }

    /// Applies the benchmark migration in this process and exits; the parent reads its peak memory.
    struct ApplyChild: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "apply-child", shouldDisplay: false)

        @Option var db: String
        @Option var seeds: String

        func run() throws {
            try BenchStore.runner(db: db, seeds: seeds).migrate(logger: BenchStore.quietLogger)
        }
    }
}

/// Previews the benchmark migration in this process and exits; the parent reads its peak memory.
struct DryRunChild: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dryrun-child", shouldDisplay: false)

    @Option var db: String
    @Option var seeds: String

    func run() throws {
        let report = try BenchStore.runner(db: db, seeds: seeds).dryRun([BenchStore.migrationId], logger: BenchStore.quietLogger)
        guard let preview = report.migrations.first, preview.changeCount > 0 else {
            throw BenchError("the dry-run previewed nothing")
        }
    }
}

/// Runs one workload alone on a fresh store, for a profiler: `cairn-bench single apply --size 20000`.
struct Single: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "single", shouldDisplay: false)

    @Argument var workload: String
    @Option var size = 20_000
    /// Seed files for `single status`.
    @Option var seeds = 100
    /// A store built earlier by `single build`, copied for this run.
    @Option var store: String?
    /// Keeps the run's folder (its store, seeds and WAL) and prints where it is, to look inside afterwards.
    @Flag var keep = false

    func run() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer {
            if keep { print("kept \(folder)") } else { try? FileManager.default.removeItem(atPath: folder) }
        }
        let bench = Workloads(folder: folder, sizes: Sizes.quick, verbose: false)
        try BenchStore.seeds("\(folder)/seeds")
        let database = "\(folder)/single.sqlite"
        if let store {
            try BenchStore.copy(store, to: database)
        } else {
            try BenchStore.make(path: database, aggregates: size, totalEvents: 0)
        }
        let seconds: Double
        switch workload {
        case "apply":
            seconds = try bench.time { try bench.runner(database, seeds: "\(folder)/seeds").migrate(logger: Logger(label: "b") { _ in SwiftLogNoOpLogHandler() }) }
        case "dryrun":
            let runner = try bench.runner(database, seeds: "\(folder)/seeds")
            seconds = try bench.time { _ = try runner.dryRun([BenchStore.migrationId], logger: Logger(label: "b") { _ in SwiftLogNoOpLogHandler() }) }
        case "pair":
            // Cairn and the reference alternately in one process, as the full run does.
            for _ in 0..<3 {
                try BenchStore.copy(store ?? database, to: "\(folder)/a.sqlite")
                let cairn = try bench.time { try bench.runner("\(folder)/a.sqlite", seeds: "\(folder)/seeds").migrate(logger: Logger(label: "b") { _ in SwiftLogNoOpLogHandler() }) }
                try BenchStore.copy(store ?? database, to: "\(folder)/r.sqlite")
                let reference = try bench.time { _ = try RawReference.apply(path: "\(folder)/r.sqlite") }
                print(String(format: "cairn %.3f s, reference %.3f s, ratio %.2f", cairn, reference, reference / cairn))
            }
            return
        case "reference":
            seconds = try bench.time { _ = try RawReference.apply(path: database) }
        case "rebuild":
            let store = try EventStore(path: database, domain: DemoApplication.domain)
            seconds = try bench.time { _ = try ProjectionRebuilder(store: store).rebuild([]) }
            print("\(Int(Double(size * 4) / seconds)) events/s")
        case "build":
            try BenchStore.copy(database, to: "/tmp/cairn-bench-\(size).sqlite")
            return
        case "status":
            // `--size` is the event count; `--seeds` seed files and 2,000 runs.
            try BenchStore.make(path: database, aggregates: 2_000, totalEvents: size)
            try BenchStore.seeds("\(folder)/status-seeds", extra: seeds - 1)
            try History.add(runs: 2_000, logLines: 10, seedsFolder: "\(folder)/status-seeds", to: database)
            let open = try bench.median(of: 7) { _ = try bench.runner(database, seeds: "\(folder)/status-seeds") }
            let runner = try bench.runner(database, seeds: "\(folder)/status-seeds")
            let status = try bench.median(of: 7) { _ = try runner.status() }
            let catalog = try bench.median(of: 7) { _ = try runner.catalog() }
            print(String(format: "open %.1f ms, status %.1f ms (catalog %.1f ms)", open * 1000, status * 1000, catalog * 1000))
            return
        case "idle":
            // `--size` is the event count; the console as the full run shows it: the newest run's
            // long log loaded, then 5 s with a 10,000-row diff open (after the key-press figures).
            try BenchStore.make(path: database, aggregates: 2_000, totalEvents: size)
            try BenchStore.seeds("\(folder)/status-seeds", extra: seeds - 1)
            try History.add(runs: 10_000, logLines: 50_000, seedsFolder: "\(folder)/status-seeds", to: database)
            let console = try ConsoleBench.measure(try bench.runner(database, seeds: "\(folder)/status-seeds"), logLines: 50_005)
            let idle = try ConsoleBench.idleCPU(try bench.runner(database, seeds: "\(folder)/status-seeds"), rows: 10_000, seconds: 5)
            print(String(format: "first frame %.1f ms, idle %.2f%% of a core", console.firstFrame * 1000, idle.percent))
            return
        case "scan":
            seconds = try bench.time { _ = try RawReference.scan(path: database) }
        case "replay":
            seconds = try bench.time { _ = try RawReference.replay(path: database) }
            print("\(Int(Double(size * 4) / seconds)) events/s")
        default:
            throw ValidationError("apply, dryrun, idle, pair, reference, rebuild, replay, scan, status or build")
        }
        print("\(workload): \(String(format: "%.3f", seconds)) s, \(Int(Double(size) / seconds)) rows/s")
    }
}

/// The sizes of the workloads.
struct Sizes {
    let applyAggregates: Int
    /// Memberships of the PostgreSQL apply workload (`--postgres`): a server round trip per statement makes it slower.
    var postgresAggregates: Int { applyAggregates / 10 }
    let dryRunRows: Int
    let largeEvents: Int
    let smallEvents: Int
    let seeds: Int
    let runs: Int
    let memoryRows: Int
    /// How many times apply, rebuild and dry-run are measured against their references (medians are reported).
    let repeats: Int
    /// Lines in the newest run's log, which the console loads and scrolls.
    let logLines: Int

    static let full = Sizes(applyAggregates: 100_000, dryRunRows: 10_000, largeEvents: 1_000_000, smallEvents: 100_000,
                            seeds: 500, runs: 10_000, memoryRows: 10_000, repeats: 5, logLines: 50_000)
    static let quick = Sizes(applyAggregates: 10_000, dryRunRows: 2_000, largeEvents: 200_000, smallEvents: 20_000,
                             seeds: 100, runs: 2_000, memoryRows: 2_000, repeats: 3, logLines: 10_000)
}
