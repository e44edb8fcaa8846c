import Foundation

/// Who is running: host, process id, PID namespace and user, recorded on runs, markers and the lock.
public struct ProcessIdentity: Sendable, Hashable {
    /// The host name.
    public let host: String
    /// The process id.
    public let pid: Int32
    /// The user name, when known.
    public let user: String?
    /// The PID namespace the pid belongs to (`pid:[4026531836]` on Linux), when known:
    /// two processes on one host in different namespaces cannot see each other's pids.
    public let pidNamespace: String?

    /// Creates an identity.
    public init(host: String, pid: Int32, user: String?, pidNamespace: String? = nil) {
        self.host = host
        self.pid = pid
        self.user = user
        self.pidNamespace = pidNamespace
    }

    /// This process.
    public static let current: ProcessIdentity = {
        var buffer = [CChar](repeating: 0, count: 256)
        let host = gethostname(&buffer, buffer.count) == 0
            ? String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            : "localhost"
        let environment = ProcessInfo.processInfo.environment
        let namespace = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/pid")
        return ProcessIdentity(
            host: host, pid: getpid(), user: ProcessIdentity.userName(environment), pidNamespace: namespace)
    }()

    /// The user's name: `$USER` or `$LOGNAME`, else the account of the process's uid; control
    /// characters shown visibly, since it goes into records and messages.
    static func userName(_ environment: [String: String]) -> String? {
        let named = [environment["USER"], environment["LOGNAME"]].compactMap { $0 }
            .first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let name = named ?? getpwuid(getuid()).flatMap { $0.pointee.pw_name.map { String(cString: $0) } }
        return name.map { String($0.visibleControls.prefix(256)) }
    }

    /// "user@host" or "host", for who-did-it columns.
    public var actor: String {
        user.map { "\($0)@\(host)" } ?? host
    }

    /// True when this process can tell for certain that process `pid` of `host` in
    /// `namespace` has ended: it is on this host, in this PID namespace (or one not
    /// recorded, by an older Cairn), and no such process exists. A process this one
    /// cannot see is never called gone; only its lock's heartbeat can go stale.
    public func knowsEnded(pid: Int32, host: String, namespace: String?) -> Bool {
        guard host == self.host else { return false }
        if let namespace, namespace != pidNamespace { return false }
        return !ProcessIdentity.isAlive(pid: pid)
    }

    /// True when process `pid` exists in this PID namespace.
    public static func isAlive(pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
