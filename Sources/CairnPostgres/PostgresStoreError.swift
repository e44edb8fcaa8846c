import CairnStore
import Foundation
import NIOCore
import NIOSSL
import PostgresNIO

/// A PostgreSQL store that could not be reached or refused a statement: what, where
/// (the URL without its password) and what to do.
public struct PostgresStoreError: ExplainedError, CustomDebugStringConvertible {
    /// Why the store failed, as far as it decides what to do.
    public enum Kind: Sendable, Equatable {
        /// The server could not be reached or the connection broke.
        case unreachable
        /// The server refused the user, the password or the database.
        case refusedLogin
        /// The database does not exist.
        case noDatabase
        /// TLS could not be set up or the certificate was refused.
        case tls
        /// The user may not do what the statement needs.
        case permission
        /// A statement ran past `statement_timeout` or was canceled.
        case timedOut
        /// The database has no Cairn tables, or tables of a newer Cairn.
        case schema
        /// Another statement error.
        case statement
    }

    /// Why it failed.
    public let kind: Kind
    /// The store's URL, without its password.
    public let url: String
    /// What the store was doing.
    public let operation: String
    /// The server's SQLSTATE code, when the server answered.
    public let sqlState: String?
    /// The server's (or the client's) message.
    public let message: String
    /// The error as the client library reported it.
    public let underlying: (any Error)?

    /// An error of `kind` with its own message.
    public init(kind: Kind, url: String, operation: String, message: String, sqlState: String? = nil) {
        self.kind = kind
        self.url = url
        self.operation = operation
        self.message = message
        self.sqlState = sqlState
        self.underlying = nil
    }

    /// Classifies a postgres-nio (or NIO) error.
    package init(_ error: any Error, url: PostgresURL, operation: String) {
        self.url = url.redacted
        self.operation = operation
        self.underlying = error
        if let psql = error as? PSQLError {
            let state = psql.serverInfo?[.sqlState]
            sqlState = state
            var text = psql.serverInfo?[.message] ?? PostgresStoreError.clientMessage(psql)
            if let detail = psql.serverInfo?[.detail] { text += " (\(detail))" }
            if state == nil && PostgresStoreError.isTLS(psql.underlying) { text = PostgresStoreError.tlsMessage(psql.underlying) }
            message = text
            switch state {
            case "28P01", "28000": kind = .refusedLogin
            case "3D000": kind = .noDatabase
            case "42501": kind = .permission
            case "57014": kind = .timedOut
            case "42P01" where operation.hasPrefix("opening"): kind = .schema
            case .some: kind = .statement
            case nil where PostgresStoreError.isTLS(psql.underlying):
                kind = .tls
            case nil:
                switch psql.code {
                case .sslUnsupported, .failedToAddSSLHandler: kind = .tls
                case .authMechanismRequiresPassword, .unsupportedAuthMechanism, .saslError: kind = .refusedLogin
                default: kind = .unreachable
                }
            }
        } else if error is NIOSSLError || "\(type(of: error))".contains("SSL") || "\(type(of: error))".contains("BoringSSL") {
            sqlState = nil
            kind = .tls
            message = "\(error)"
        } else {
            sqlState = nil
            kind = .unreachable
            message = "\(error)"
        }
    }

    /// True when `error` is TLS's: a handshake or certificate failure.
    private static func isTLS(_ error: (any Error)?) -> Bool {
        guard let error else { return false }
        let text = String(describing: error)
        return error is NIOSSLError || text.contains("handshakeFailed") || text.contains("CERTIFICATE_VERIFY_FAILED")
            || text.contains("BoringSSL")
    }

    /// What went wrong with TLS, in words, with the library's reason at the end.
    private static func tlsMessage(_ error: (any Error)?) -> String {
        let text = error.map { String(describing: $0) } ?? ""
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return "TLS failed: the server's certificate is not signed by an authority this system trusts (CERTIFICATE_VERIFY_FAILED)"
        }
        if text.lowercased().contains("hostname") || text.contains("unableToValidateCertificate") {
            return "TLS failed: the server's certificate was not issued for this host name"
        }
        return "TLS failed: \(text)"
    }

    private static func clientMessage(_ error: PSQLError) -> String {
        switch error.code {
        case .connectionError:
            return "cannot connect: \(error.underlying.map { "\($0)" } ?? "connection refused")"
        case .serverClosedConnection:
            return "the server closed the connection"
        case .clientClosedConnection:
            return "the connection was closed"
        case .sslUnsupported:
            return "the server does not offer TLS, and sslmode asks for it"
        case .authMechanismRequiresPassword:
            return "the server asks for a password and none was given"
        default:
            return "\(error.code)\(error.underlying.map { ": \($0)" } ?? "")"
        }
    }

    public var summary: String { "\(operation) on \(url) failed: \(message)" }

    public var remedy: String? {
        switch kind {
        case .unreachable:
            return "check that the server runs and that host and port are right (psql \"\(url)\" tells)"
        case .refusedLogin:
            return "check the user and the password (in the URL or in PGPASSWORD) and the server's pg_hba.conf"
        case .noDatabase:
            return "create it (createdb, or CREATE DATABASE) or name an existing one in the URL"
        case .tls:
            return "add the server's authority to the system's trust store (update-ca-certificates), or use sslmode=require,"
                + " which encrypts without checking the certificate; verify-full checks it and the host name"
        case .permission:
            return "grant the connecting user what the README's PostgreSQL section lists, or connect as the database's owner"
        case .timedOut:
            return "the statement ran past its time limit; narrow the query or raise the limit"
        case .schema:
            return "add Cairn's tables with `\(ToolName.current) init --db \(url)`"
        case .statement:
            return nil
        }
    }

    public var exitCode: Int32 {
        switch kind {
        case .unreachable, .refusedLogin, .noDatabase, .tls, .schema: return CairnExit.usage
        case .permission, .timedOut, .statement: return CairnExit.failed
        }
    }

    public var debugDescription: String { description }
}
