import ArgumentParser
import CairnConsole
import CairnRunner
import CairnStore
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
                    remedy: "Cairn's own `cairn demo` builds its demo store; an application offers one by passing"
                        + " `demo:` to CairnApplication")
            }
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
            Output.error(RootCommand.fullMessage(for: error))
            return 2
        }
        Output.error(RootCommand.fullMessage(for: error))
        return code.rawValue
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
