import Foundation


/// Who is running: host, process id and user, recorded on runs, markers and the lock.
public struct ProcessIdentity: Sendable, Hashable {
    /// The host name.
    public let host: String
    /// The process id.
    public let pid: Int32
    /// The user name, when known.
    public let user: String?

    /// Creates an identity.
    public init(host: String, pid: Int32, user: String?) {
        self.host = host
        self.pid = pid
        self.user = user
    }

    /// This process.
    public static let current: ProcessIdentity = {
        var buffer = [CChar](repeating: 0, count: 256)
        let host = gethostname(&buffer, buffer.count) == 0
            ? String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            : "localhost"
        let environment = ProcessInfo.processInfo.environment
        return ProcessIdentity(host: host, pid: getpid(), user: environment["USER"] ?? environment["LOGNAME"])
    }()

    /// "user@host" or "host", for who-did-it columns.
    public var actor: String {
        user.map { "\($0)@\(host)" } ?? host
    }

    /// True when process `pid` exists on this host.
    public static func isAlive(pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
