import Foundation

/// A little disk space set aside beside an SQLite file while a run goes on, so that a
/// full disk still leaves room to record how the run ended: its last log lines, its
/// status and error, the lock given up.
///
/// The file is allocated for real (`posix_fallocate`), not sparse. `release()` removes
/// it — at once when a write meets a full disk, else when the run ends. A process killed
/// before leaves the file; the next run reuses and removes it.
public final class FileReserve: SpaceReserve, @unchecked Sendable {
    /// The reserve file's path.
    public let path: String
    private let lock = NSLock()
    private var held: Bool

    /// Sets aside `bytes` in a file beside the database at `databasePath`; nil when the disk has no room for it.
    public init?(besides databasePath: String, bytes: Int = 1 << 20) {
        path = databasePath + "-cairn-reserve"
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

    /// The bytes free for an unprivileged writer on the disk holding `path`, when known.
    public static func freeBytes(besides path: String) -> Int? {
        var info = statvfs()
        let folder = (path as NSString).deletingLastPathComponent
        guard statvfs(folder.isEmpty ? "." : folder, &info) == 0 else { return nil }
        return Int(info.f_bavail) * Int(info.f_frsize)
    }
}
