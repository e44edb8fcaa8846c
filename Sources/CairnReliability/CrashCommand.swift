import ArgumentParser
import CairnRunner
import CairnStore
import Foundation

/// `crash`: kill -9 a running `cairn up` at a random moment, run it again until done, check everything.
struct CrashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash", abstract: "Kill -9 cairn up at random moments of a many-batch migration and check the store.")

    @Option(name: .long, help: "How many trials.")
    var trials = 20

    @Option(name: .long, help: ArgumentHelp(
        "Run the trials on this PostgreSQL server (a URL whose user may create databases) instead of SQLite files.",
        valueName: "url"))
    var postgres: String?

    @Option(name: .long, help: "The demo size the store starts from (small or medium).")
    var size: DemoSize = .medium

    @Option(name: .long, help: "Seed of the random kill moments, to repeat a series.")
    var seed: UInt64 = UInt64(Date().timeIntervalSince1970)

    func run() throws {
        let workload: any TrialStore = try postgres.map { try PostgresWorkload.make(url: $0, size: size) } ?? Workload.make(size: size)
        defer { workload.finish() }
        let expected = try workload.expectation()
        let log = workload.folder.appendingPathComponent("children.log").path
        print("crash: \(trials) trials, \(size.rawValue) demo, \(expected.openLow.count) + \(expected.untagged.count) candidate rows"
            + " in batches of 10 and 25, kill seed \(seed)")

        // How long a whole run takes, to spread the kills over it.
        let calibration = try workload.copy(named: "calibration")
        let started = Date()
        let code = try Child.start(["cairn", "up", "--db", calibration, "--seeds", workload.seeds], log: log,
                                   directory: workload.folder.path).wait()
        let duration = Date().timeIntervalSince(started)
        guard code == 0 else { throw TrialError("the calibration run failed with exit \(code); see \(log)") }
        let problems = try workload.final(calibration, expected: expected, extraEvents: 0)
        guard problems.isEmpty else { throw TrialError("the calibration run left problems: \(problems)") }
        workload.remove(calibration)
        print("a full run takes \(Int(duration * 1000)) ms; kills land uniformly in 0–\(Int(duration * 1100)) ms")

        var random = SeededRandom(seed)
        var failures: [String] = []
        var killedMidRun = 0, finishedFirst = 0, reruns = 0, interrupted = 0, killedPreviews = 0
        for trial in 1...trials {
            let path = try workload.copy(named: "trial-\(trial)")
            defer { workload.remove(path) }
            let child = try Child.start(["cairn", "up", "--db", path, "--seeds", workload.seeds], log: log,
                                        directory: workload.folder.path)
            // Every other trial a dry-run previews beside it (on its private copy) and is killed too.
            let preview = trial % 2 == 0
                ? try Child.start(["cairn", "dry-run", "--db", path, "--seeds", workload.seeds, "--show", "5"], log: log,
                                  directory: workload.folder.path)
                : nil
            Thread.sleep(forTimeInterval: random.unit() * duration * 1.1)
            if child.poll() != nil {
                finishedFirst += 1
            } else {
                child.kill()
                _ = child.wait()
                killedMidRun += 1
            }
            if let preview {
                if preview.poll() == nil { preview.kill(); killedPreviews += 1 }
                _ = preview.wait()
            }
            var trialProblems = try workload.midway(path, expected: expected)
            var finished = false
            for _ in 0..<3 where !finished {
                reruns += 1
                let code = try Child.start(["cairn", "up", "--db", path, "--seeds", workload.seeds], log: log,
                                           directory: workload.folder.path).wait()
                finished = code == 0
                if !finished { trialProblems.append("a rerun exited \(code)") }
            }
            trialProblems += try workload.final(path, expected: expected, extraEvents: 0)
            interrupted += try workload.countInterrupted(path)
            if !trialProblems.isEmpty {
                failures.append("trial \(trial): \(trialProblems.joined(separator: "; "))")
                print("✗ trial \(trial): \(trialProblems.joined(separator: "; "))")
            } else if trial % 10 == 0 || trial == trials {
                print("  \(trial)/\(trials) trials passed so far")
            }
        }
        print("""
            crash: \(trials) trials, \(killedMidRun) killed mid-run (\(finishedFirst) finished before the kill),
              \(killedPreviews) dry-runs beside them killed too, \(interrupted) runs found interrupted and taken over, \(reruns) reruns,
              \(failures.count) failed: \(failures.isEmpty ? "no event lost or duplicated, no marker without its events, every half-done migration shown partial, marker counts equal to the events carrying their id, no run left running, no preview copy left, read tables equal to a rebuild, \(postgres == nil ? "integrity ok" : "versions contiguous")" : "see above")
            """)
        if !failures.isEmpty { throw ExitCode(1) }
    }

}

/// SplitMix64, so a series of kill moments can be repeated from its seed.
struct SeededRandom {
    private var state: UInt64

    init(_ seed: UInt64) { state = seed }

    /// A number in [0, 1).
    mutating func unit() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }
}


