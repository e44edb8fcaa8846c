import ArgumentParser
import CairnConsole
import CairnRunner
import CairnStore
import CairnText
import Foundation
import GRDB

/// The `cairn` command line, as a library: an application builds its own
/// `cairn` with its own handlers, projections and migrations in a few lines:
///
/// ```swift
/// import CairnCLI
/// import MyDomain
///
/// CairnCommandLine.main(MyDomain.cairnApplication)
/// ```
public enum CairnCommandLine {
    /// Parses the process arguments, runs the command and exits with its exit code.
    ///
    /// Usage lines and messages name the command as it was started (`library-cairn`),
    /// unless the application sets `commandName`.
    public static func main(_ application: CairnApplication) -> Never {
        exit(run(application, arguments: Array(CommandLine.arguments.dropFirst()),
                 commandName: ToolName.executableName()))
    }

    /// Runs one command line and returns its exit code instead of exiting.
    ///
    /// `commandName` is the name usage lines and messages use when the application
    /// sets none; `cairn` by default.
    public static func run(_ application: CairnApplication, arguments: [String], commandName: String = "cairn") -> Int32 {
        // A closed pipe (`cairn up | head -1`) must fail a write, not kill a run half-way.
        signal(SIGPIPE, SIG_IGN)
        ApplicationRegistry.shared.set(application)
        ToolName.use(application.commandName ?? commandName)
        do {
            if application.demo == nil, arguments.first == "demo" {
                throw CLIUsageError(
                    "\(ToolName.current) has no demo: the application '\(application.name)' gives Cairn no demo builder",
                    remedy: "an application offers `demo` by passing a DemoBuilder as `demo:` to its CairnApplication")
            }
            try refuseUnknownCommand(arguments)
            var command = try RootCommand.parseAsRoot(arguments)
            try command.run()
            return 0
        } catch {
            return report(error)
        }
    }

    /// Prints `error` the way the command line does and returns its exit code.
    ///
    /// Exit codes: 0 success or nothing to do; 1 a migration failed; 2 usage or
    /// validation error; 3 blocked; 4 the lock stayed held past the timeout.
    static func report(_ error: any Error) -> Int32 {
        if let database = error as? DatabaseError {
            // SQLite errors that escaped the store's own translation (a damaged page found while reading).
            return report(EventStore.translate(database, path: "the database", operation: "reading"))
        }
        if let exit = error as? ExitCode {
            return exit.rawValue
        }
        if let explained = error as? any ExplainedError {
            let code = exitCode(for: error)
            if let runnerError = error as? RunnerError, let run = runnerError.run, runnerError.isLoggedByRun {
                // The run's log lines already told the story on the way; point at it.
                Output.error("run \(run) failed (exit \(code)); read it again with `\(ToolName.current) log \(run)`")
                return code
            }
            Output.error(explained.summary, remedy: explained.remedy)
            return code
        }
        let code = RootCommand.exitCode(for: error)
        if code == .success {
            Output.standard(RootCommand.fullMessage(for: error))
            return 0
        }
        if code == .validationFailure {
            Output.error(withoutPrefix(RootCommand.fullMessage(for: error)))
            return 2
        }
        Output.error(withoutPrefix(RootCommand.fullMessage(for: error)))
        return code.rawValue
    }

    /// Refuses a first word that is no command (`library-cairn nonsense`) by name, with the
    /// nearest command; left to the parser, it would be an "unexpected argument" of the
    /// hidden default command.
    static func refuseUnknownCommand(_ arguments: [String]) throws {
        guard let first = arguments.first, !first.hasPrefix("-") else { return }
        let names = RootCommand.configuration.subcommands
            .filter { $0.configuration.shouldDisplay }
            .compactMap { $0.configuration.commandName } + ["help"]
        guard !names.contains(first), !RootCommand.configuration.subcommands.contains(where: {
            $0.configuration.commandName == first || $0.configuration.aliases.contains(first)
        }) else { return }
        let nearest = names.min { first.editDistance(to: $0) < first.editDistance(to: $1) }
        let suggestion = nearest.flatMap { first.editDistance(to: $0) <= max(2, first.count / 3) ? " (did you mean `\($0)`?)" : nil } ?? ""
        throw CLIUsageError(
            "'\(TerminalSafe.inert(first))' is not a \(ToolName.current) command\(suggestion)",
            remedy: "`\(ToolName.current) --help` lists them: \(names.filter { $0 != "help" }.joined(separator: ", "))")
    }

    /// The exit code for an error raised by Cairn: every Cairn error carries its own (`CairnExit`).
    static func exitCode(for error: any Error) -> Int32 {
        (error as? any ExplainedError)?.exitCode ?? CairnExit.failed
    }
}

extension RunnerError {
    /// True when the run's log (printed while it ran) already holds the whole error.
    var isLoggedByRun: Bool {
        switch self {
        case .migrationFailed, .blocked, .validationFailed: return true
        default: return false
        }
    }
}

/// The parser's message without its own `Error: `, which `error: ` already says.
private func withoutPrefix(_ message: String) -> String {
    message.hasPrefix("Error: ") ? String(message.dropFirst("Error: ".count)) : message
}

/// A command-line mistake found after parsing: a bad combination of options or a bad value.
struct CLIUsageError: ExplainedError {
    let summary: String
    let remedy: String?
    var exitCode: Int32 { CairnExit.usage }

    init(_ summary: String, remedy: String? = nil) {
        self.summary = summary
        self.remedy = remedy
    }
}
