import CairnRunner
import Foundation

/// Holds the application the command line was started with, for the commands to read.
///
/// ArgumentParser builds commands from their types, so the application cannot be
/// passed in; it is set once before parsing.
final class ApplicationRegistry: @unchecked Sendable {
    static let shared = ApplicationRegistry()

    private let lock = NSLock()
    private var current: CairnApplication?

    func set(_ application: CairnApplication) {
        lock.withLock { current = application }
    }

    var application: CairnApplication {
        lock.withLock {
            guard let current else { preconditionFailure("CairnCommandLine.run sets the application before parsing") }
            return current
        }
    }
}
