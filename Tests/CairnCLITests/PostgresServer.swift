import Foundation
import Testing

/// A private PostgreSQL server for the tests, from Debian's `postgresql` package: `initdb`
/// into a temporary folder and `postgres` on a free loopback port (as the `postgres` user
/// when the tests run as root), stopped when the test process exits.
///
/// Connections over TCP need a password (SCRAM), so every test URL carries one and the tests
/// can check it is never printed; the tests' own set-up uses the private socket, which trusts.
/// Each test gets a database of its own (`makeDatabase`).
///
/// When the server cannot be started the tests that need it fail: in CI always, and outside
/// CI too once the binaries are there. Only a machine without PostgreSQL installed skips them
/// outside CI (`PostgresServer.available`).
final class PostgresServer: @unchecked Sendable {
    /// The superuser's password, in every URL the tests build.
    let password: String
    let port: Int
    let folder: URL
    private let binaries: URL
    private let asPostgresUser: Bool
    private let counter = Counter()

    /// The one server of this test process, started on first use.
    static let shared: Result<PostgresServer, PostgresServerError> = {
        do {
            let server = try PostgresServer()
            running = server
            atexit { PostgresServer.running?.stop() }
            return .success(server)
        } catch let error as PostgresServerError {
            return .failure(error)
        } catch {
            return .failure(PostgresServerError(message: "\(error)"))
        }
    }()
    nonisolated(unsafe) private static var running: PostgresServer?

    /// The server, or the test fails saying why it could not start.
    static func start() throws -> PostgresServer {
        try shared.get()
    }

    /// False only outside CI on a machine without PostgreSQL's binaries: the tests then skip.
    static var available: Bool {
        ProcessInfo.processInfo.environment["CI"] != nil || findBinaries() != nil
    }

    /// The folder of `initdb`, `pg_ctl` and `postgres`: the newest Debian version, else PATH.
    static func findBinaries() -> URL? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        for version in versions.reversed() {
            let folder = URL(fileURLWithPath: "\(root)/\(version)/bin")
            if FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("initdb").path) { return folder }
        }
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let url = URL(fileURLWithPath: String(folder))
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("initdb").path) { return url }
        }
        return nil
    }

    private init() throws {
        guard let binaries = PostgresServer.findBinaries() else {
            throw PostgresServerError(message: "PostgreSQL's initdb is not installed (apt-get install -y postgresql)")
        }
        self.binaries = binaries
        asPostgresUser = geteuid() == 0
        folder = URL(fileURLWithPath: "/tmp/cairn-pg-\(getpid())-\(UUID().uuidString.prefix(8))")
        password = "pw-\(UUID().uuidString.prefix(12))"
        port = try PostgresServer.freePort()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if asPostgresUser {
            _ = try Self.run("/bin/chown", ["postgres", folder.path])
        }
        let passwordFile = folder.appendingPathComponent("password")
        try password.write(to: passwordFile, atomically: true, encoding: .utf8)
        if asPostgresUser { _ = try Self.run("/bin/chown", ["postgres", passwordFile.path]) }
        try check(tool("initdb", [
            "-D", folder.appendingPathComponent("data").path, "-U", "postgres", "--pwfile", passwordFile.path,
            "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync", "-E", "UTF8", "--locale=C",
        ]), "initdb")
        // TLS with a self-signed certificate: sslmode=require encrypts, verify-full refuses it.
        let key = folder.appendingPathComponent("server.key").path, certificate = folder.appendingPathComponent("server.crt").path
        let made = try Self.run("/usr/bin/openssl", [
            "req", "-new", "-x509", "-days", "2", "-nodes", "-subj", "/CN=cairn-test-server", "-keyout", key, "-out", certificate,
        ])
        guard made.status == 0 else { throw PostgresServerError(message: "openssl could not make a certificate: \(made.output)") }
        chmod(key, 0o600)
        if asPostgresUser { _ = try Self.run("/bin/chown", ["postgres", key, certificate]) }
        try check(tool("pg_ctl", [
            "-D", folder.appendingPathComponent("data").path, "-w", "-t", "30", "-l", folder.appendingPathComponent("log").path,
            "-o", "-p \(port) -k \(folder.path) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
                + " -c ssl=on -c ssl_cert_file=\(certificate) -c ssl_key_file=\(key)", "start",
        ]), "pg_ctl start")
    }

    /// Stops the server at once and removes its folder.
    func stop() {
        _ = try? tool("pg_ctl", ["-D", folder.appendingPathComponent("data").path, "-m", "immediate", "stop"])
        try? FileManager.default.removeItem(at: folder)
    }

    /// A new, empty database, and the URL (with the password) that reaches it.
    func makeDatabase() throws -> String {
        let name = "cairn_\(getpid())_\(counter.next())"
        try sql("CREATE DATABASE \(name)")
        return url(name)
    }

    /// The URL of `database` as `user` with `password`.
    func url(_ database: String, user: String = "postgres", password: String? = nil) -> String {
        "postgres://\(user):\(password ?? self.password)@127.0.0.1:\(port)/\(database)"
    }

    /// The database name of a URL this server made.
    func databaseName(_ url: String) -> String {
        String(url.split(separator: "/").last ?? "")
    }

    /// Runs SQL through psql on the private socket (as the superuser) and returns its output, one row per line.
    @discardableResult
    func sql(_ statement: String, database: String = "postgres") throws -> String {
        let result = try tool("psql", [
            "-h", folder.path, "-p", String(port), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-At", "-c", statement,
        ])
        guard result.status == 0 else {
            throw PostgresServerError(message: "psql failed (\(result.status)): \(result.output)")
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func tool(_ name: String, _ arguments: [String]) throws -> CairnProcess.Result {
        let path = binaries.appendingPathComponent(name).path
        let executable = FileManager.default.isExecutableFile(atPath: path) ? path : "/usr/bin/\(name)"
        if asPostgresUser {
            return try Self.run("/usr/sbin/runuser", ["-u", "postgres", "--", executable] + arguments)
        }
        return try Self.run(executable, arguments)
    }

    private func check(_ result: CairnProcess.Result, _ what: String) throws {
        guard result.status == 0 else {
            let log = (try? String(contentsOf: folder.appendingPathComponent("log"), encoding: .utf8)) ?? ""
            throw PostgresServerError(message: "\(what) failed (\(result.status)): \(result.output) \(log)")
        }
    }

    private static func run(_ executable: String, _ arguments: [String]) throws -> CairnProcess.Result {
        try CairnProcess.runTool(executable, arguments)
    }

    /// A loopback port nothing listens on now.
    private static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw PostgresServerError(message: "cannot open a socket to find a free port") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw PostgresServerError(message: "cannot bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0

        func next() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value
        }
    }
}

/// Why the tests' PostgreSQL server could not be started.
struct PostgresServerError: Error, CustomStringConvertible {
    let message: String
    var description: String { "the tests' PostgreSQL server: \(message)" }
}
