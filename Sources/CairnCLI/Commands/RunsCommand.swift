import ArgumentParser
import CairnRunner
import CairnStore

/// `cairn runs`: the history of runs, newest first.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List runs (boots, up, unlock ...), newest first, failed ones marked.")

    @OptionGroup var environment: EnvironmentOptions

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("How many runs to list (default 20).", valueName: "n"))
    var limit = 20

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1 (got \(limit))") }
    }

    func run() throws {
        let runner = try environment.resolve().runner(mode: .readOnly)
        let runs = try runner.history.runs(limit: limit)
        if json {
            Output.standard(JSONValue.array(runs.map(RunsCommand.json)).jsonText)
            return
        }
        if runs.isEmpty {
            Output.standard("no runs yet")
            return
        }
        for run in runs {
            let status = run.status.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
            let colour: Output.Colour = run.status == .succeeded ? .green : run.status == .running ? .cyan : .red
            var line = "\(String(run.id).leftPadded(5))  \(Output.paint(status, colour)) \(run.kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) "
                + "\(run.trigger.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) \(run.startedAt.prefix(19).replacingOccurrences(of: "T", with: " "))"
                + "  \(run.durationMilliseconds.map { "\($0) ms" } ?? "—")".padding(toLength: 12, withPad: " ", startingAt: 0)
                + "  \(run.migrationsApplied) applied, \(run.eventsWritten) events  \(Output.safe(run.host)):\(run.pid)"
            if let error = run.error {
                line += "\n       " + Output.paint(Output.safe(String(error.split(separator: "\n").first ?? "")), .red)
            }
            Output.standard(line)
        }
    }

    static func json(_ run: RunRecord) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .int(run.id), "kind": .string(run.kind.rawValue), "trigger": .string(run.trigger.rawValue),
            "status": .string(run.status.rawValue), "startedAt": .string(run.startedAt), "host": .string(run.host),
            "pid": .int(Int64(run.pid)), "migrationsApplied": .int(Int64(run.migrationsApplied)),
            "eventsWritten": .int(Int64(run.eventsWritten)),
            "options": (try? JSONValue(parsing: run.options)) ?? .object([:]),
        ]
        if let finished = run.finishedAt { object["finishedAt"] = .string(finished) }
        if let error = run.error { object["error"] = .string(error) }
        if let user = run.user { object["user"] = .string(user) }
        return .object(object)
    }
}

extension String {
    /// The string padded with spaces on the left to `width`.
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
