import Foundation

/// A little disk space set aside beside an SQLite file while a run goes on, so that a
/// full disk still leaves room to record how the run ended: its last log lines, its
/// status and error, the lock given up.
///
/// The file is allocated for real (`posix_fallocate`), not sparse. `release()` removes
/// it — at once when a write meets a full disk, else when the run ends. Each process
/// has its own (`<db>-cairn-reserve-<pid namespace>-<pid>`), so two runs side by side,
/// a dry-run beside an `up`, never free each other's. A process killed before leaves
/// its file; the next run in the same PID namespace removes it once that pid is gone.
public final class FileReserve: SpaceReserve, @unchecked Sendable {
    /// The reserve file's path.
    public let path: String
    private let lock = NSLock()
    private var held: Bool

    /// The file name marker, after the database's own name.
    static let marker = "-cairn-reserve-"

    /// This process's owner tag: its PID namespace's number (0 when unknown) and its pid.
    static let owner: String = {
        let namespace = ProcessIdentity.current.pidNamespace?.filter(\.isNumber) ?? ""
        return "\(namespace.isEmpty ? "0" : namespace)-\(getpid())"
    }()

    /// Sets aside `bytes` in a file beside the database at `databasePath`; nil when the disk has no room for it.
    public init?(besides databasePath: String, bytes: Int = 1 << 20) {
        FileReserve.removeDead(besides: databasePath)
        path = databasePath + FileReserve.marker + FileReserve.owner
        let descriptor = open(path, O_CREAT | O_WRONLY, 0o600)
        guard descriptor >= 0 else { return nil }
        let allocated = posix_fallocate(descriptor, 0, off_t(bytes)) == 0
        close(descriptor)
        guard allocated else {
            unlink(path)
            return nil
        }
        held = true
    }

    deinit { release() }

    /// Frees the space now; later calls do nothing.
    @discardableResult
    public func release() -> Bool {
        lock.withLock {
            guard held else { return false }
            held = false
            unlink(path)
            return true
        }
    }

    /// Removes the reserve files that processes of this PID namespace left when they died.
    static func removeDead(besides databasePath: String) {
        let namespace = owner.split(separator: "-").first.map(String.init) ?? "0"
        for (path, tag) in FilesBeside.named(marker, besides: databasePath) {
            let parts = tag.split(separator: "-")
            guard parts.count == 2, String(parts[0]) == namespace, let pid = Int32(parts[1]), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(path) }
        }
    }

    /// The bytes free for an unprivileged writer on the disk holding `path`, when known.
    public static func freeBytes(besides path: String) -> Int? {
        var info = statvfs()
        let folder = (path as NSString).deletingLastPathComponent
        guard statvfs(folder.isEmpty ? "." : folder, &info) == 0 else { return nil }
        return Int(info.f_bavail) * Int(info.f_frsize)
    }
}
