import ArgumentParser
import CairnRunner
import CairnStore
import Foundation

/// `race`: several `cairn up` at once beside an application process writing through the handlers.
struct RaceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "race", abstract: "Start several cairn up together beside an application writer; check exactly-once and no lost write.")

    @Option(name: .long, help: "How many trials.")
    var trials = 10

    @Option(name: .long, help: "How many cairn up processes per trial (2 to 4).")
    var runners = 3

    @Option(name: .long, help: ArgumentHelp(
        "Run the trials on this PostgreSQL server (a URL whose user may create databases) instead of SQLite files.",
        valueName: "url"))
    var postgres: String?

    @Option(name: .long, help: "The demo size the store starts from.")
    var size: DemoSize = .small

    func run() throws {
        guard (2...4).contains(runners) else { throw ValidationError("--runners must be 2, 3 or 4") }
        let workload: any TrialStore = try postgres.map { try PostgresWorkload.make(url: $0, size: size) } ?? Workload.make(size: size)
        defer { workload.finish() }
        let expected = try workload.expectation()
        let log = workload.folder.appendingPathComponent("children.log").path
        print("race: \(trials) trials of \(runners) cairn up at once beside an application writer, \(size.rawValue) demo")
        var failures: [String] = []
        var waited = 0, timedOut = 0, appended = 0, conflicts = 0, worstWaitMs: Int64 = 0
        for trial in 1...trials {
            let path = try workload.copy(named: "race-\(trial)")
            defer { workload.remove(path) }
            let stop = workload.folder.appendingPathComponent("stop-\(trial)").path
            let report = workload.folder.appendingPathComponent("report-\(trial).json").path
            let writer = try Child.start(["app-writer", "--db", path, "--stop", stop, "--report", report], log: log,
                                         directory: workload.folder.path)
            // Odd trials wait for the lock; even ones give up quickly, so losers must exit 4 naming the holder.
            let patient = trial % 2 == 1
            let outputs = (0..<runners).map { workload.folder.appendingPathComponent("race-\(trial)-\($0).out").path }
            let children = try outputs.map { output in
                try Child.start(["cairn", "up", "--db", path, "--seeds", workload.seeds, "--throttle", "40",
                                 "--lock-timeout", patient ? "120" : "0.05"], log: output, directory: workload.folder.path)
            }
            let codes = children.map { $0.wait() }
            _ = FileManager.default.createFile(atPath: stop, contents: nil)
            let writerCode = writer.wait()
            var problems: [String] = []
            if writerCode != 0 { problems.append("the application writer exited \(writerCode)") }
            let texts = outputs.map { (try? String(contentsOfFile: $0, encoding: .utf8)) ?? "" }
            // A runner that failed says why in its last lines.
            for (code, text) in zip(codes, texts) where code != 0 && code != 4 {
                problems.append("a runner exited \(code): \(text.split(separator: "\n").suffix(3).joined(separator: " / "))")
            }
            if patient {
                if codes != Array(repeating: 0, count: runners) { problems.append("exit codes \(codes), expected all 0") }
                waited += texts.filter { $0.contains("waiting up to") }.count
            } else {
                let winners = codes.filter { $0 == 0 }.count
                let losers = zip(codes, texts).filter { $0.0 == 4 }
                if winners < 1 || winners + losers.count != runners { problems.append("exit codes \(codes), expected 0 and 4s") }
                if !losers.allSatisfy({ (_, text: String) in text.contains("the migration lock is held by cairn up (cli) — pid") }) {
                    problems.append("a loser did not name the holder")
                }
                timedOut += losers.count
            }
            // A trial whose losers gave up may leave work undone if the winner had nothing
            // left to do when they started; finish it, then check exactness.
            _ = try Child.start(["cairn", "up", "--db", path, "--seeds", workload.seeds], log: log,
                                directory: workload.folder.path).wait()
            let writes = try JSONValue(parsing: String(contentsOfFile: report, encoding: .utf8)).objectValue ?? [:]
            let positions = writes["appended"]?.arrayValue?.compactMap(\.intValue) ?? []
            appended += positions.count
            conflicts += Int(writes["conflicts"]?.intValue ?? 0)
            worstWaitMs = max(worstWaitMs, writes["worstWaitMs"]?.intValue ?? 0)
            if let errors = writes["errorCount"]?.intValue, errors > 0 {
                problems.append("the application writer met \(errors) errors that are not version conflicts: \(writes["errors"]?.jsonText ?? "")")
            }
            problems += try workload.checkWrites(path, positions: positions)
            problems += try workload.final(path, expected: expected, extraEvents: positions.count)
            let migrateRuns = try workload.countRuns(path)
            if migrateRuns.applied != 2 { problems.append("\(migrateRuns.applied) migrations applied over all runs, expected 2") }
            if !problems.isEmpty {
                failures.append("trial \(trial): \(problems.joined(separator: "; "))")
                print("✗ trial \(trial): \(problems.joined(separator: "; "))")
            }
        }
        print("""
            race: \(trials) trials × \(runners) runners, \(failures.count) failed; \(waited) runners waited for the lock,
              \(timedOut) gave up naming the holder (exit 4); the application appended \(appended) events, none lost,
              and met \(conflicts) version conflicts, all reported as the typed error; its longest wait for a write was \(worstWaitMs) ms
            """)
        if !failures.isEmpty { throw ExitCode(1) }
    }


}
