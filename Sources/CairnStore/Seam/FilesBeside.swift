import Foundation

/// The files Cairn keeps beside a database, named `<db><marker><tag>` (preview copies,
/// disk reserves): listing them, with the tag each one carries.
enum FilesBeside {
    /// The files beside `database` whose names start with its own name and `marker`: their paths and tags.
    static func named(_ marker: String, besides database: String) -> [(path: String, tag: Substring)] {
        let folder = (database as NSString).deletingLastPathComponent
        let directory = folder.isEmpty ? "." : folder
        let prefix = (database as NSString).lastPathComponent + marker
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasPrefix(prefix) }.map { name in (directory + "/" + name, name.dropFirst(prefix.count)) }
    }
}
