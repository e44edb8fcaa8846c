import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Listens on the store's notification channel, so a live view knows when another process
/// committed something without reading the tables to find out.
///
/// Every transaction the store commits ends with `NOTIFY cairn_changes` (delivered on
/// commit, once per transaction); the listener's connection counts them. A view asks
/// `changes` and reads the tables again only when the count moved. When the connection
/// is lost, `changes` is nil and the view reads the tables as it would without it, until a
/// new connection listens again.
final class PostgresChangeListener: @unchecked Sendable {
    /// The channel the store notifies.
    static let channel = "cairn_changes"

    private let url: PostgresURL
    private let lock = NSLock()
    private var session: PostgresSession?
    private var count: Int64 = 0
    private var retryAfter = Date.distantPast

    init(url: PostgresURL) {
        self.url = url
    }

    /// The number of notifications received so far, or nil when no connection listens now.
    var changes: Int64? {
        lock.lock()
        defer { lock.unlock() }
        if let session, session.isOpen { return count }
        session = nil
        guard Date() >= retryAfter else { return nil }
        do {
            let listening = try PostgresSession(url: url, applicationName: "cairn listen")
            listening.connection.addListener(channel: PostgresChangeListener.channel) { [weak self] _, _ in
                guard let self else { return }
                self.lock.lock()
                self.count += 1
                self.lock.unlock()
            }
            try listening.execute("LISTEN \(PostgresChangeListener.channel)")
            session = listening
            // Whatever happened before the connection listened is unknown: count it as a change.
            count += 1
            return count
        } catch {
            retryAfter = Date().addingTimeInterval(5)
            return nil
        }
    }

    /// Closes the listening connection.
    func close() {
        lock.lock()
        let session = self.session
        self.session = nil
        lock.unlock()
        session?.close()
    }
}
