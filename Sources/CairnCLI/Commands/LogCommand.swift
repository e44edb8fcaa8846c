import ArgumentParser
import CairnRunner
import CairnStore
import CairnText
import Foundation

/// `cairn log [RUN] [--follow]`: a run's log, live or past.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Print a run's log (default: the newest run); --follow streams it until the run ends.")

    @OptionGroup var environment: EnvironmentOptions

    @Argument(help: ArgumentHelp("The run id (default: the newest run).", valueName: "run"))
    var runId: Int64?

    @Flag(name: .shortAndLong, help: "Keep printing new lines until the run ends.")
    var follow = false

    func run() throws {
        let runner = try environment.resolve().runner(mode: .readOnly)
        let history = runner.history
        let chosen = try runId.map { try history.run($0) } ?? history.latestRun()
        guard let record = chosen else {
            if let runId { throw CLIUsageError("there is no run \(runId)", remedy: "`\(ToolName.current) runs` lists them") }
            Output.standard("no runs yet")
            return
        }
        Output.standard(Output.paint(
            "run \(record.id) · \(record.kind.rawValue) · \(record.trigger.rawValue) · \(record.status.rawValue) · started \(record.startedAt) on \(Output.safe(record.host)):\(record.pid)",
            .bold))
        var last: Int64 = 0
        func drain() throws {
            for line in try history.lines(run: record.id, after: last) {
                print(line)
                last = line.id
            }
        }
        try drain()
        guard follow else {
            if let error = record.error, record.status != .running {
                Output.standard(Output.paint("error: ", .red) + TerminalSafe.inert(error, keepNewlines: true))
            }
            return
        }
        while true {
            guard let current = try history.run(record.id) else { return }
            try drain()
            if current.status != .running {
                Output.standard(Output.paint("run \(current.id) ended: \(current.status.rawValue)", current.status == .succeeded ? .green : .red))
                return
            }
            if ProcessIdentity.current.knowsEnded(pid: current.pid, host: current.host, namespace: current.pidNamespace) {
                Output.standard(Output.paint("run \(current.id): its process \(current.pid) is gone; the run was interrupted", .red))
                return
            }
            Thread.sleep(forTimeInterval: 0.25)
        }
    }

    private func print(_ line: LogLine) {
        let time = line.at.count >= 23 ? String(line.at.dropFirst(11).prefix(12)) : line.at
        let level = line.level.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
        let colour: Output.Colour = line.level == .error ? .red : line.level == .warning ? .yellow : .dim
        Output.standard("\(Output.paint(time, .dim)) \(Output.paint(level, colour)) \(Output.safe(line.message))")
    }
}
