import Foundation

/// The name of the command line that messages tell operators to run: `cairn`, or an
/// application's own (`library-cairn`).
///
/// An application's command line sets it from its executable's name when it starts, and
/// a boot from `CairnApplication.commandName`, so "read it again with `library-cairn log 3`"
/// names a command that exists. It is one value per process.
public enum ToolName {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var name = "cairn"

    /// The name in use; `cairn` until something sets another.
    public static var current: String {
        lock.lock()
        defer { lock.unlock() }
        return name
    }

    /// Uses `name` from now on; nil, empty or blank keeps the one in use.
    public static func use(_ name: String?) {
        guard let name = name?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty else { return }
        lock.lock()
        defer { lock.unlock() }
        self.name = name
    }

    /// The name a process was started under: the last part of `arguments[0]`, or `cairn`.
    public static func executableName(_ arguments: [String] = CommandLine.arguments) -> String {
        let last = arguments.first.map { ($0 as NSString).lastPathComponent } ?? ""
        return last.isEmpty ? "cairn" : last
    }
}
