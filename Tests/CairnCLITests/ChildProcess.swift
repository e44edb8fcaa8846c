import Foundation

/// A child process started with `posix_spawn` and reaped with `waitpid`.
///
/// Foundation's `Process.waitUntilExit()` spins a run loop on Linux and was seen to
/// wait forever for a child that had exited (three concurrent `cairn up` in CI);
/// this keeps `Process`'s names for what the tests use, on the system calls.
final class ChildProcess: @unchecked Sendable {
    /// The child's pid.
    let processIdentifier: pid_t
    private let lock = NSLock()
    private var status: Int32?

    /// Starts `executable` with `arguments` in `directory` with exactly `environment`;
    /// stdin is /dev/null, stdout and stderr go to the handles given or are inherited.
    init(executable: String, arguments: [String], directory: String, environment: [String: String],
         stdout: FileHandle?, stderr: FileHandle?) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let stdout { posix_spawn_file_actions_adddup2(&actions, stdout.fileDescriptor, 1) }
        if let stderr { posix_spawn_file_actions_adddup2(&actions, stderr.fileDescriptor, 2) }
        // `env -C` changes directory and execs the program in the same process (so the
        // pid is the program's); posix_spawn_file_actions_addchdir_np is not visible to Swift.
        var cArguments = (["/usr/bin/env", "-C", directory, executable] + arguments).map { strdup($0) } + [nil]
        var cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in cArguments { free(pointer) }
            for pointer in cEnvironment { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, "/usr/bin/env", &actions, nil, &cArguments, &cEnvironment)
        guard result == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "cannot start \(executable): error \(result)"])
        }
        processIdentifier = pid
    }

    /// True until the child has exited (checked without blocking).
    var isRunning: Bool { reap(blocking: false) == nil }

    /// Blocks until the child has exited.
    func waitUntilExit() { _ = reap(blocking: true) }

    /// The exit code, or the signal number when a signal ended it (as `Process` reports it).
    var terminationStatus: Int32 {
        let raw = reap(blocking: true) ?? 0
        return raw & 0x7f == 0 ? (raw >> 8) & 0xff : raw & 0x7f
    }

    private func reap(blocking: Bool) -> Int32? {
        lock.lock()
        defer { lock.unlock() }
        if let status { return status }
        var raw: Int32 = 0
        while true {
            let result = waitpid(processIdentifier, &raw, blocking ? 0 : WNOHANG)
            if result == -1 && errno == EINTR { continue }
            guard result == processIdentifier else { return nil }
            status = raw
            return raw
        }
    }
}
