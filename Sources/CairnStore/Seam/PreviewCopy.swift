import Foundation
import GRDB

/// A private copy of an SQLite store, as it was at one moment, for a dry-run to write
/// to and throw away: the application's writes never wait for a preview.
///
/// SQLite's online backup API copies the pages inside one read transaction; in WAL
/// mode a reader never blocks a writer, so the application keeps writing while the
/// copy is made. The copy lives beside the database as `<db>-cairn-preview-<run>`
/// (owner only, `0600`) and is removed when the preview ends; a copy whose dry-run
/// died is removed by the next writing command's recovery of dead work.
public final class PreviewCopy: @unchecked Sendable {
    /// The store over the copy.
    public let store: EventStore
    /// The copy's path.
    public let path: String

    init(store: EventStore, path: String) {
        self.store = store
        self.path = path
    }

    /// Closes the copy and removes its files.
    public func discard() {
        try? store.pool.close()
        PreviewCopy.remove(path)
    }

    /// The copy's file name marker, after the database's own name.
    static let marker = "-cairn-preview-"

    /// Where the copy for `run` of the store at `database` lives.
    public static func path(besides database: String, run: Int64) -> String {
        database + marker + String(run)
    }

    /// The runs whose preview copies lie beside the database at `database`.
    public static func runs(besides database: String) -> [Int64] {
        Set(FilesBeside.named(marker, besides: database).compactMap { _, tag -> Int64? in
            var rest = tag
            for suffix in ["-wal", "-shm", "-journal"] where rest.hasSuffix(suffix) { rest = rest.dropLast(suffix.count) }
            return Int64(rest)
        }).sorted()
    }

    /// Removes a copy and its `-wal`, `-shm` and `-journal` files.
    public static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
    }
}

extension EventStore {
    /// Copies the store, as it is now, into a private file for the preview of `run`.
    ///
    /// - Throws: `StoreError.noRoom` when the disk cannot hold the copy (nothing is left
    ///   behind), or the store's error when the copy fails.
    public func makePreviewCopy(run: Int64) throws -> PreviewCopy {
        let copyPath = PreviewCopy.path(besides: path, run: run)
        PreviewCopy.remove(copyPath)
        let size = [path, path + "-wal"].reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
        }
        // The copy, its own write-ahead log for the preview's writes, and room to spare for the run's bookkeeping.
        if let free = FileReserve.freeBytes(besides: path), free < size + size / 2 + (4 << 20) {
            throw StoreError.noRoomForPreview(path: path, neededBytes: size + size / 2 + (4 << 20), freeBytes: free)
        }
        do {
            try EventStore.createPrivately(copyPath)
            let destination = try DatabaseQueue(path: copyPath)
            try pool.backup(to: destination)
            try destination.close()
            return PreviewCopy(store: try EventStore(path: copyPath, domain: domain, mode: .existing), path: copyPath)
        } catch let error as DatabaseError {
            PreviewCopy.remove(copyPath)
            if error.resultCode == .SQLITE_FULL {
                throw StoreError.noRoomForPreview(path: path, neededBytes: size, freeBytes: FileReserve.freeBytes(besides: path) ?? 0)
            }
            throw EventStore.translate(error, path: path, operation: "copying the store for a preview")
        } catch {
            PreviewCopy.remove(copyPath)
            throw error
        }
    }
}
