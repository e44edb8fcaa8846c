import CairnConsole
import CairnDemo
import CairnRunner
import CairnStore
import Foundation
import GRDB
import Logging

/// Runs every workload and collects the figures.
struct Workloads {
    let folder: String
    let sizes: Sizes
    let verbose: Bool
    /// Python `eventsourcing`'s apply of the same workload, measured beside Cairn's (`--peer`).
    var peer: PythonPeer?

    private let quiet = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }

    func note(_ text: String) {
        if verbose { FileHandle.standardError.write(Data("· \(text)\n".utf8)) }
    }

    func path(_ name: String) -> String { "\(folder)/\(name)" }

    /// Seconds `body` takes.
    func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    func runner(_ database: String, seeds: String, mode: EventStore.OpenMode = .existing) throws -> MigrationRunner {
        MigrationRunner(
            application: DemoApplication.application,
            store: try EventStore(path: database, domain: DemoApplication.domain, mode: mode),
            seedsDirectory: seeds, processEnvironment: [:])
    }

    /// Runs `cairn` and `reference` alternately, `sizes.repeats` times each, and
    /// returns the median seconds of each (each closure returns the seconds it measured).
    ///
    /// Alternating keeps both sides under the same machine conditions: on a shared
    /// machine, a neighbour's burst then slows both, not only one.
    func alternate(cairn: () throws -> Double, reference: () throws -> Double) throws -> (Double, Double) {
        try withoutActuallyEscaping(cairn) { cairn in
            try withoutActuallyEscaping(reference) { reference in
                let medians = try alternate([cairn, reference])
                return (medians[0], medians[1])
            }
        }
    }

    /// Runs every side in turn, `rounds` rounds (`sizes.repeats` unless told), and returns the median seconds of each.
    func alternate(rounds: Int? = nil, _ sides: [() throws -> Double]) throws -> [Double] {
        var seconds = Array(repeating: [Double](), count: sides.count)
        for _ in 0..<(rounds ?? sizes.repeats) {
            for (index, side) in sides.enumerated() { seconds[index].append(try side()) }
        }
        return seconds.map { $0.sorted()[$0.count / 2] }
    }

    func all() throws -> Results {
        var results = Results()
        let seeds = path("seeds")
        try BenchStore.seeds(seeds)

        note("building the apply store: \(sizes.applyAggregates) memberships × 3 events")
        let applyBase = path("apply.sqlite")
        try BenchStore.make(path: applyBase, aggregates: sizes.applyAggregates, totalEvents: 0)

        var sides: [() throws -> Double] = [
            {
                try BenchStore.copy(applyBase, to: path("apply-cairn.sqlite"))
                return try time {
                    let outcome = try runner(path("apply-cairn.sqlite"), seeds: seeds).migrate(logger: quiet)
                    guard outcome.applied.first?.events == sizes.applyAggregates else {
                        throw BenchError("apply wrote \(outcome.applied.first?.events ?? 0) events")
                    }
                }
            },
            {
                try BenchStore.copy(applyBase, to: path("apply-raw.sqlite"))
                return try time {
                    let rows = try RawReference.apply(path: path("apply-raw.sqlite"))
                    guard rows == sizes.applyAggregates else { throw BenchError("the reference applied \(rows) rows") }
                }
            },
        ]
        if let peer {
            note("building the Python eventsourcing store: \(sizes.applyAggregates) aggregates × 3 events")
            try peer.build(store: path("peer.sqlite"), aggregates: sizes.applyAggregates)
            sides.append { try peer.apply(store: path("peer.sqlite"), copy: path("peer.sqlite.copy")) }
        }
        note("apply through Cairn and through the raw-SQL reference\(peer == nil ? "" : " and Python eventsourcing"), alternately, \(sizes.repeats) times each")
        let applied = try alternate(sides)
        results.applyCairn = Double(sizes.applyAggregates) / applied[0]
        results.applyReference = Double(sizes.applyAggregates) / applied[1]
        if let peer { results.peer = (Double(sizes.applyAggregates) / applied[2], peer.version) }

        note("rebuild every projection from the events of the applied store, and replay them as raw SQL, alternately")
        var replayed = 0, rawReplayed = 0
        let (rebuild, rawReplay) = try alternate(
            cairn: {
                let store = try EventStore(path: path("apply-cairn.sqlite"), domain: DemoApplication.domain)
                defer { try? store.pool.close() }
                return try time { replayed = try ProjectionRebuilder(store: store).rebuild([]).events }
            },
            reference: { try time { rawReplayed = try RawReference.replay(path: path("apply-cairn.sqlite")) } })
        results.rebuildCairn = Double(replayed) / rebuild
        results.rebuildRawWrites = Double(rawReplayed) / rawReplay
        note("scan the same events with json_extract, for the table's context line")
        var scanned = 0
        let scan = try median(of: sizes.repeats) { scanned = try RawReference.scan(path: path("apply-cairn.sqlite")) }
        results.rebuildScan = Double(scanned) / scan

        note("building the status stores: \(sizes.largeEvents) and \(sizes.smallEvents) events")
        let large = path("large.sqlite"), small = path("small.sqlite")
        try BenchStore.make(path: large, aggregates: sizes.memoryRows, totalEvents: sizes.largeEvents)
        try BenchStore.make(path: small, aggregates: sizes.memoryRows, totalEvents: sizes.smallEvents)

        note("dry-run of \(sizes.dryRunRows) rows against applying them")
        let dryRunBase = path("dryrun.sqlite")
        try BenchStore.make(path: dryRunBase, aggregates: sizes.dryRunRows, totalEvents: 0)
        var previewed = 0
        let (dryRun, applyRows) = try alternate(
            cairn: {
                let dry = try runner(dryRunBase, seeds: seeds)
                return try time {
                    previewed = try dry.dryRun([BenchStore.migrationId], logger: quiet).migrations.first?.changeCount ?? 0
                }
            },
            reference: {
                try BenchStore.copy(dryRunBase, to: path("dryrun-apply.sqlite"))
                let runner = try runner(path("dryrun-apply.sqlite"), seeds: seeds)
                return try time { try runner.migrate(logger: quiet) }
            })
        guard previewed == sizes.dryRunRows else { throw BenchError("the dry-run reported \(previewed) row changes") }
        results.dryRunSeconds = dryRun
        results.dryRunApplySeconds = applyRows

        note("memory of dry-runs of \(sizes.dryRunRows) and \(sizes.dryRunRows * 10) rows, in child processes")
        let tenfold = path("dryrun-tenfold.sqlite")
        try BenchStore.make(path: tenfold, aggregates: sizes.dryRunRows * 10, totalEvents: 0)
        results.dryRunRSS = try Memory.peak(of: ["dryrun-child", "--db", dryRunBase, "--seeds", seeds])
        results.dryRunRSSTenfold = try Memory.peak(of: ["dryrun-child", "--db", tenfold, "--seeds", seeds])

        note("memory of applying \(sizes.memoryRows) rows on both stores, in child processes")
        try BenchStore.copy(large, to: path("memory-large.sqlite"))
        try BenchStore.copy(small, to: path("memory-small.sqlite"))
        results.rssLarge = try Memory.peak(of: ["apply-child", "--db", path("memory-large.sqlite"), "--seeds", seeds])
        results.rssSmall = try Memory.peak(of: ["apply-child", "--db", path("memory-small.sqlite"), "--seeds", seeds])

        note("status with \(sizes.seeds) seeds and \(sizes.runs) runs on both stores")
        let statusSeeds = path("status-seeds")
        try BenchStore.seeds(statusSeeds, extra: sizes.seeds - 1)
        for database in [large, small] {
            try History.add(runs: sizes.runs, logLines: sizes.logLines, seedsFolder: statusSeeds, to: database)
        }
        // As `cairn status` does it: open the file read-only, read the seeds, compute the report;
        // the two stores in turn, as apply and its reference, so a neighbour's burst of a few
        // hundred milliseconds slows both sides instead of tilting a ratio of two ~20 ms figures.
        let status = try alternate(rounds: 9, [large, small].map { database in
            { try self.time { _ = try self.runner(database, seeds: statusSeeds, mode: .readOnly).status() } }
        })
        results.statusLarge = status[0] * 1000
        results.statusSmall = status[1] * 1000

        note("console on the large store, rendered headless, with a log of \(sizes.logLines) lines")
        let console = try ConsoleBench.measure(try runner(large, seeds: statusSeeds), logLines: sizes.logLines + 5)
        results.firstFrame = console.firstFrame * 1000
        results.keyToFrame = console.keyToFrame * 1000
        results.logLoaded = console.logLoaded * 1000
        results.logLines = sizes.logLines + 5
        note("console idle for 5 s with a diff of 10,000 rows open, no key pressed")
        let idle = try ConsoleBench.idleCPU(try runner(large, seeds: statusSeeds), rows: 10_000, seconds: 5)
        results.idleCPU = idle.percent
        results.idleRows = idle.rows
        return results
    }

    /// The median time of `count` runs of `body`, in seconds.
    func median(of count: Int, _ body: () throws -> Void) throws -> Double {
        var times: [Double] = []
        for _ in 0..<count { times.append(try time(body)) }
        return times.sorted()[count / 2]
    }
}
