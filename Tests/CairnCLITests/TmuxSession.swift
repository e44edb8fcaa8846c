import Foundation
import Testing

/// A real terminal for end-to-end tests: a detached tmux server on its own socket,
/// running one command in a window of a given size.
final class TmuxSession {
    let socket: String
    private(set) var width: Int
    private(set) var height: Int

    /// Starts `arguments` (the cairn binary's arguments) in `directory`, in a `width` × `height` window.
    init(_ arguments: [String], in directory: URL, width: Int = 100, height: Int = 30,
         environment: [String: String] = [:]) throws {
        socket = "cairn-test-\(UUID().uuidString.prefix(8))"
        self.width = width
        self.height = height
        var variables = ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "tmux-256color", "HOME": NSTemporaryDirectory()]
        variables.merge(environment) { _, new in new }
        let exports = variables.sorted { $0.key < $1.key }.map { "\($0.key)=\(TmuxSession.quote($0.value))" }.joined(separator: " ")
        let command = "cd \(TmuxSession.quote(directory.path)) && env -u NO_COLOR \(exports) "
            + ([CairnProcess.binary.path] + arguments).map(TmuxSession.quote).joined(separator: " ")
            + "; echo \"[exited $?]\"; sleep 30"
        try tmux(["-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)", command])
        let pids = try tmux(["display-message", "-p", "-t", "0", "#{pid} #{pane_pid}"]).split(separator: " ")
        serverPid = pids.first.flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        panePid = pids.dropFirst().first.flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// The tmux server's pid, and the pid (and process group) of the shell in its pane.
    private var serverPid: pid_t?
    private var panePid: pid_t?

    deinit {
        _ = try? tmux(["kill-server"])
        // kill-server was seen to answer success while the server and the console in
        // its pane lived on for hours after the test run; end both for certain.
        if let panePid { kill(-panePid, SIGKILL) }
        if let serverPid { kill(serverPid, SIGKILL) }
    }

    /// Sends tmux key names (`Enter`, `Escape`, `Tab`, `Right`, `j`).
    func press(_ keys: String...) throws {
        for key in keys {
            try tmux(["send-keys", "-t", "0", key])
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Sends one key `times` times in one go, as a terminal with keys queued would.
    func press(_ key: String, times: Int) throws {
        try tmux(["send-keys", "-t", "0"] + Array(repeating: key, count: times))
    }

    /// Runs a tmux command against this session's server (`show-buffer`, `set -g …`).
    @discardableResult
    func run(_ arguments: String...) throws -> String {
        try tmux(arguments)
    }

    /// Types text literally.
    func type(_ text: String) throws {
        try tmux(["send-keys", "-t", "0", "-l", text])
        Thread.sleep(forTimeInterval: 0.05)
    }

    /// The window's text; with `escapes`, including the SGR sequences of its colours and attributes.
    func capture(escapes: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p", "-t", "0"] + (escapes ? ["-e"] : []))
    }

    /// Waits until the window shows `text`; returns the last capture either way.
    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 20) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = try capture()
            if screen.contains(text) { return screen }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Issue.record("the terminal never showed \"\(text)\" within \(Int(timeout)) s; it shows:\n\(screen)")
        return screen
    }

    /// Waits until the window no longer shows `text`.
    func waitForAbsence(_ text: String, timeout: TimeInterval = 20) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !(try capture()).contains(text) { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Issue.record("the terminal still shows \"\(text)\" after \(Int(timeout)) s")
    }

    /// Resizes the window.
    func resize(width: Int, height: Int) throws {
        self.width = width
        self.height = height
        try tmux(["resize-window", "-t", "0", "-x", "\(width)", "-y", "\(height)"])
    }

    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        // posix_spawn and waitpid rather than Foundation's Process: the tmux client
        // forks the server and exits at once, and its output goes to a file because
        // the server inherits it and would keep a pipe open forever.
        let outputURL = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: outputURL) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ["tmux", "-L", socket] + arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "tmux", &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw TmuxError(message: "cannot start tmux: error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
        let text = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
        if exitCode != 0 && arguments.first != "kill-server" {
            throw TmuxError(message: "tmux \(arguments.joined(separator: " ")) failed: \(text)")
        }
        return text
    }

    static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

struct TmuxError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
