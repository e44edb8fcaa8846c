import CairnStore
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// One connection to a PostgreSQL server, driven synchronously.
///
/// The runner's core is synchronous; postgres-nio is built on SwiftNIO's event loops.
/// A session bridges them by calling postgres-nio's future-based API and waiting for
/// each future on the calling thread, which must never be an event-loop thread (SwiftNIO
/// traps on that in debug builds, and it would deadlock): Cairn calls stores from the
/// command line's main thread, the console's worker threads and `BlockingWork`'s queue,
/// none of which is one. The event loops are SwiftNIO's shared singleton group.
///
/// A session is used by one thread at a time: the store hands each transaction a
/// session of its own (`PostgresSessionPool`).
package final class PostgresSession: @unchecked Sendable {
    /// The connection.
    package let connection: PostgresConnection
    /// Where it is connected, without the password.
    package let url: PostgresURL
    /// The server's process id for this connection (what `pg_terminate_backend` takes).
    package private(set) var backendPID: Int32 = 0

    private static let logger: Logger = {
        var logger = Logger(label: "cairn.postgres")
        logger.logLevel = .critical
        return logger
    }()

    /// Connects to `url`.
    ///
    /// - Throws: `PostgresStoreError` naming the URL without its password.
    package init(url: PostgresURL, applicationName: String = "cairn") throws {
        self.url = url
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
            tls: try PostgresSession.tls(for: url))
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.additionalStartupParameters = [("application_name", applicationName)]
        let group = MultiThreadedEventLoopGroup.singleton
        do {
            connection = try PostgresConnection.connect(
                on: group.next(), configuration: configuration, id: 1, logger: PostgresSession.logger
            ).wait()
        } catch {
            throw PostgresStoreError(error, url: url, operation: "connecting")
        }
        backendPID = try query("SELECT pg_backend_pid()").first.flatMap { try? $0.decode(Int32.self) } ?? 0
    }

    /// The TLS settings libpq's `sslmode` asks for, with the system's trust store.
    private static func tls(for url: PostgresURL) throws -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch url.tls {
        case .disable:
            return .disable
        case .allow, .prefer, .require:
            tls.certificateVerification = .none
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
        case .verifyFull:
            tls.certificateVerification = .fullVerification
        }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: tls)
        } catch {
            throw PostgresStoreError(error, url: url, operation: "setting up TLS")
        }
        return url.tls == .allow || url.tls == .prefer ? .prefer(context) : .require(context)
    }

    /// Runs one statement with `values` bound to `$1…$n`, and returns its rows and command tag;
    /// with `timeout`, gives up waiting after that many seconds (for clean-up on a connection
    /// the server may have ended: postgres-nio was seen never to answer a query sent then).
    @discardableResult
    package func query(_ sql: String, _ values: [SQLValue] = [], timeout: TimeInterval? = nil) throws -> PostgresQueryResult {
        guard !connection.isClosed else { throw PostgresSessionClosed() }
        let query = PostgresQuery(unsafeSQL: sql, binds: PostgresValues.bindings(values))
        let future = connection.query(query, logger: PostgresSession.logger)
        guard let timeout else { return try future.wait() }
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox()
        future.whenComplete { result in
            box.set(result)
            done.signal()
        }
        guard done.wait(timeout: .now() + timeout) == .success, let result = box.result else {
            throw PostgresSessionClosed()
        }
        return try result.get()
    }

    /// Runs one statement and returns how many rows it changed.
    @discardableResult
    package func execute(_ sql: String, _ values: [SQLValue] = [], timeout: TimeInterval? = nil) throws -> Int {
        try query(sql, values, timeout: timeout).metadata.rows ?? 0
    }

    /// The rows of one statement as store-neutral rows.
    package func rows(_ sql: String, _ values: [SQLValue] = []) throws -> [SQLRow] {
        let result = try query(sql, values)
        return result.rows.map(PostgresValues.row)
    }

    /// True while the connection is open.
    package var isOpen: Bool { !connection.isClosed }

    /// Closes the connection, waiting at most a few seconds.
    package func close() {
        guard !connection.isClosed else { return }
        let done = DispatchSemaphore(value: 0)
        connection.close().whenComplete { _ in done.signal() }
        _ = done.wait(timeout: .now() + 5)
    }
}

/// A statement on a connection that is closed, or that did not answer in time during clean-up.
package struct PostgresSessionClosed: Error, CustomStringConvertible {
    package var description: String { "the connection to the server is closed" }
}

/// The result of a future, handed from an event loop to the waiting thread.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Result<PostgresQueryResult, any Error>?

    var result: Result<PostgresQueryResult, any Error>? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }

    func set(_ result: Result<PostgresQueryResult, any Error>) {
        lock.lock()
        stored = result
        lock.unlock()
    }
}
