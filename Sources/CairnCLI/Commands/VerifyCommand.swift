import ArgumentParser
import CairnRunner

/// `cairn verify`: the validator and the drift check, without running anything.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that every pending migration would pass validation; write nothing.",
        discussion: """
            Parses every seed, checks that every handler a pending migration names is registered
            and accepts `system`, and compiles every candidate query against the live schema
            through the read-only gate. Lists every problem. Exit 2 on problems, 3 when drift
            or a missing file (or, with --strict, an out-of-order migration) blocks runs.
            """)

    @OptionGroup var environment: EnvironmentOptions

    @Flag(name: .long, help: "Treat out-of-order pending migrations as blocking.")
    var strict = false

    @Option(name: .long, help: ArgumentHelp("Longest a candidate query may run while its first rows are checked, in seconds (default 60).", valueName: "seconds"))
    var queryTimeout: Double = 60

    func validate() throws {
        try OptionRange.seconds(queryTimeout, "--query-timeout", zeroAllowed: false)
    }

    func run() throws {
        let runner = try environment.resolve().runner(mode: .readOnly)
        let report = try runner.status()
        let problems = try runner.validate(queryTimeout: queryTimeout)
        for problem in problems {
            Output.standard(Output.paint("invalid: ", .red) + Output.safe(problem.description))
        }
        let blockers = report.blockers
        for blocker in blockers {
            Output.standard(Output.paint("blocked: ", .red) + Output.safe(blocker))
        }
        let outOfOrder = report.runnable.filter(\.outOfOrder)
        for status in outOfOrder {
            Output.standard(Output.paint(strict ? "blocked: " : "warning: ", strict ? .red : .yellow)
                + "\(Output.safe(status.id)) is pending but sorts before an applied migration (out of order)")
        }
        let pending = report.runnable.count
        if !problems.isEmpty {
            Output.standard("\(problems.count) problem\(problems.count == 1 ? "" : "s") in \(pending) pending migration\(pending == 1 ? "" : "s")")
            throw ExitCode(2)
        }
        if !blockers.isEmpty || (strict && !outOfOrder.isEmpty) {
            throw ExitCode(3)
        }
        Output.standard(Output.paint("ok", .green) + " — \(pending) pending migration\(pending == 1 ? "" : "s") valid, all referenced handlers registered")
    }
}
