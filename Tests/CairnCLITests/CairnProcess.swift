import Foundation
import Testing

/// The built `cairn` executable, run as a real process.
enum CairnProcess {
    /// What a finished process left.
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String

        /// Both streams, for messages.
        var output: String { stdout + stderr }
    }

    /// The `cairn` binary beside the test bundle (SwiftPM builds both into one folder),
    /// or `CAIRN_BINARY`.
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["CAIRN_BINARY"] {
            return URL(fileURLWithPath: path)
        }
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for candidate in [folder, folder.deletingLastPathComponent()] {
            let binary = candidate.appendingPathComponent("cairn")
            if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug/cairn")
    }()

    /// The environment child processes get: this one without CAIRN_SKIP_ variables, plus `extra`.
    static func environment(_ extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("CAIRN_SKIP_") }
        environment["LANG"] = "C.UTF-8"
        environment["NO_COLOR"] = "1"
        environment.merge(extra) { _, new in new }
        return environment
    }

    /// Starts `cairn` with `arguments` in `directory` and returns the running process.
    static func start(
        _ arguments: [String], in directory: URL, environment extra: [String: String] = [:],
        stdout: FileHandle? = nil, stderr: FileHandle? = nil
    ) throws -> ChildProcess {
        try ChildProcess(
            executable: binary.path, arguments: arguments, directory: directory.path, environment: environment(extra),
            stdout: stdout, stderr: stderr)
    }

    /// Runs `cairn` to completion (killing it after `timeout` seconds) and returns what it printed.
    @discardableResult
    static func run(
        _ arguments: [String], in directory: URL, environment extra: [String: String] = [:], timeout: TimeInterval = 120
    ) throws -> Result {
        let outURL = directory.appendingPathComponent(".out-\(UUID().uuidString)")
        let errURL = directory.appendingPathComponent(".err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = try start(arguments, in: directory, environment: extra, stdout: out, stderr: err)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            Issue.record("cairn \(arguments.joined(separator: " ")) did not finish within \(Int(timeout)) s")
        }
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Result(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }

    /// Runs a system tool (not cairn) to completion and returns what it printed.
    static func runTool(_ executable: String, _ arguments: [String]) throws -> Result {
        let folder = FileManager.default.temporaryDirectory
        let outURL = folder.appendingPathComponent(".tool-out-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outURL) }
        let out = try FileHandle(forWritingTo: outURL)
        let process = try ChildProcess(
            executable: executable, arguments: arguments, directory: folder.path,
            environment: ProcessInfo.processInfo.environment, stdout: out, stderr: out)
        process.waitUntilExit()
        try out.close()
        return Result(status: process.terminationStatus, stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "", stderr: "")
    }

    /// Starts a helper program (not cairn) with posix_spawn, its output discarded.
    ///
    /// Foundation's Process was seen to keep a test waiting long after such a
    /// child was killed; spawn and `stopHelper` use the system calls directly.
    static func spawnHelper(_ arguments: [String]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var cArguments = arguments.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, arguments[0], &actions, nil, &cArguments, environ)
        guard result == 0 else { throw TmuxError(message: "cannot start \(arguments[0]): error \(result)") }
        return pid
    }

    /// Kills a helper started by `spawnHelper` and reaps it.
    static func stopHelper(_ pid: pid_t) {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }

    /// Waits until `condition` holds or `timeout` passes; returns whether it held.
    static func wait(timeout: TimeInterval, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return try condition()
    }
}

/// A temporary working folder for a command-line test, with a `seeds/` folder.
final class Workspace {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url.appendingPathComponent("seeds"), withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// The path of `name` in the workspace.
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// The database the tests use.
    var database: String { path("events.sqlite") }

    /// Writes a file in the workspace.
    func write(_ name: String, _ text: String) throws {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
    }

    /// Runs `cairn` here.
    @discardableResult
    func cairn(_ arguments: String..., environment: [String: String] = [:]) throws -> CairnProcess.Result {
        try CairnProcess.run(arguments, in: url, environment: environment)
    }

    /// Copies the repository's demo seeds into the workspace.
    func copyRepositorySeeds() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let seeds = repository.appendingPathComponent("seeds")
        for name in try FileManager.default.contentsOfDirectory(atPath: seeds.path) where name.hasSuffix(".sql") {
            try FileManager.default.copyItem(at: seeds.appendingPathComponent(name), to: url.appendingPathComponent("seeds/\(name)"))
        }
    }
}
