import Foundation

/// The idle sessions of one store: a transaction takes one (or connects a new one) and
/// gives it back when it ends, unless the connection broke.
final class PostgresSessionPool: @unchecked Sendable {
    let url: PostgresURL
    private let lock = NSLock()
    private var idle: [PostgresSession] = []
    private var closed = false
    /// How many idle sessions are kept open.
    private let keep = 4

    init(url: PostgresURL) {
        self.url = url
    }

    /// Runs `body` with a session of its own.
    func with<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        let session = try take()
        defer { give(session) }
        return try body(session)
    }

    private func take() throws -> PostgresSession {
        lock.lock()
        while let session = idle.popLast() {
            if session.isOpen {
                lock.unlock()
                return session
            }
        }
        lock.unlock()
        return try PostgresSession(url: url)
    }

    private func give(_ session: PostgresSession) {
        lock.lock()
        if !closed, session.isOpen, idle.count < keep {
            idle.append(session)
            lock.unlock()
        } else {
            lock.unlock()
            session.close()
        }
    }

    /// Closes every idle session; sessions in use close when given back.
    func close() {
        lock.lock()
        closed = true
        let sessions = idle
        idle.removeAll()
        lock.unlock()
        for session in sessions {
            session.close()
        }
    }
}
