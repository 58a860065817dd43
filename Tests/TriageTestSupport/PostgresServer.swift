import Foundation
import TriagePostgres

/// A real PostgreSQL 15 for this test process: one server, started on first use in a temporary
/// directory on a free 127.0.0.1 port with a private Unix socket, a database per test, stopped
/// (`-m immediate`) and removed when the process exits, whatever the tests' outcome (XCTest and
/// Swift Testing targets share it, so it outlives either library's run).
///
/// PostgreSQL refuses to run as root, and CI runs as root: then the directory is handed to the
/// `postgres` user and the server binaries run as that user (`runuser`). Without the binaries
/// (`scripts/install-deps` installs them) the tests skip, saying why (`started`), unless
/// `TRIAGE_REQUIRE_POSTGRES=1` (CI sets it, `isRequired`), when they fail.
public final class PostgresServer: @unchecked Sendable {
    /// The superuser `initdb` creates; trusted on the loopback and the socket (a test server only).
    public static let superuser = "triage_test"

    public let root: String
    public let port: Int
    private let binaries: String
    private let runAs: String?
    private let databases = Counter()

    /// The server, started on first use, or why there is none.
    public static let started: Result<PostgresServer, Unavailable> = start()

    /// Whether a missing server fails the tests instead of skipping them (`TRIAGE_REQUIRE_POSTGRES=1`).
    public static var isRequired: Bool { ProcessInfo.processInfo.environment["TRIAGE_REQUIRE_POSTGRES"] == "1" }

    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// The server; when there is none, an error saying why (naming `TRIAGE_REQUIRE_POSTGRES` when set).
    public static func require() throws -> PostgresServer {
        switch started {
        case let .success(server): return server
        case let .failure(reason):
            throw isRequired ? Unavailable(description: "TRIAGE_REQUIRE_POSTGRES=1 but \(reason)") : reason
        }
    }

    private init(root: String, port: Int, binaries: String, runAs: String?) {
        self.root = root
        self.port = port
        self.binaries = binaries
        self.runAs = runAs
    }

    /// A URL for `database` on this server, as `user`, over TCP without TLS.
    public func url(_ database: String, user: String = superuser) -> String {
        "postgres://\(user)@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// The same server through its Unix socket.
    public func socketURL(_ database: String, user: String = superuser) -> String {
        "postgres://\(user)@/\(database)?host=\(root)/socket&port=\(port)"
    }

    /// A fresh, empty database for one test.
    public func makeDatabase() throws -> String {
        let name = "test_\(getpid())_\(databases.next())"
        try admin("CREATE DATABASE \(name)")
        return name
    }

    /// Runs one statement as the superuser in `database`.
    @discardableResult
    public func admin(_ sql: String, database: String = "postgres") throws -> [PostgresRecord] {
        try PostgresSession.connect(PostgresLocation(parsing: url(database)), password: nil).query(sql)
    }

    // MARK: Starting and stopping

    private static func start() -> Result<PostgresServer, Unavailable> {
        let started = launch()
        if case let .success(server) = started { StopAtExit.register(server) }
        return started
    }

    /// Another server, which a test may stop and start again (an outage); the caller stops it.
    public static func launchAnother() throws -> PostgresServer {
        try launch().get()
    }

    /// Stops the server at once, as a crash or an outage would (`-m immediate`), keeping its data.
    public func stopAbruptly() throws {
        try run("pg_ctl", ["-D", root + "/data", "-m", "immediate", "-w", "stop"])
    }

    /// Starts it again on the same port, after `stopAbruptly`.
    public func restart() throws { try startProcess() }

    private func startProcess() throws {
        try run("pg_ctl", ["-D", root + "/data", "-l", root + "/server.log", "-w", "-t", "60", "-o",
                           "-p \(port) -k \(root)/socket -c listen_addresses=127.0.0.1 -c fsync=off "
                           + "-c ssl=on -c ssl_cert_file=\(root)/server.crt -c ssl_key_file=\(root)/server.key", "start"])
    }

    private static func launch() -> Result<PostgresServer, Unavailable> {
        let environment = ProcessInfo.processInfo.environment
        let candidates = [environment["TRIAGE_PG_BINDIR"], "/usr/lib/postgresql/15/bin"].compactMap { $0 }
        guard let binaries = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }) else {
            return .failure(Unavailable(description: "no initdb in \(candidates.joined(separator: " or ")) (scripts/install-deps installs postgresql)"))
        }
        var runAs: String?
        var owner: (uid_t, gid_t)?
        if geteuid() == 0 {
            guard let entry = getpwnam("postgres") else {
                return .failure(Unavailable(description: "running as root, and there is no postgres user to run the server as"))
            }
            runAs = "postgres"
            owner = (entry.pointee.pw_uid, entry.pointee.pw_gid)
        }
        stopLeftovers()
        var template = Array((NSTemporaryDirectory() + "/triage-pg-\(getpid())-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { return .failure(Unavailable(description: "cannot make a temporary directory")) }
        let root = String(cString: made)
        try? FileManager.default.createDirectory(atPath: root + "/socket", withIntermediateDirectories: false)
        if let (uid, gid) = owner {
            // The server's user must own its directory; nothing else of the tests' needs to be readable to it.
            for path in [root, root + "/socket"] { chown(path, uid, gid) }
        }
        do { try makeCertificates(in: root) } catch { return .failure(Unavailable(description: "\(error)")) }
        if let (uid, gid) = owner {
            for file in ["server.crt", "server.key"] { chown(root + "/" + file, uid, gid) }
        }
        for _ in 0..<3 {
            let server = PostgresServer(root: root, port: freePort(), binaries: binaries, runAs: runAs)
            do {
                if !FileManager.default.fileExists(atPath: root + "/data") {
                    try server.run("initdb", ["-D", root + "/data", "-A", "trust", "-U", superuser, "-E", "UTF8", "--no-locale", "--no-sync"])
                }
                try server.startProcess()
                return .success(server)
            } catch {
                // A port taken between choosing and binding: try another.
                if (try? String(contentsOfFile: root + "/server.log", encoding: .utf8))?.contains("could not bind") != true {
                    try? FileManager.default.removeItem(atPath: root)
                    return .failure(Unavailable(description: "\(error)"))
                }
            }
        }
        try? FileManager.default.removeItem(atPath: root)
        return .failure(Unavailable(description: "no free port for the server"))
    }

    /// The CA the server's certificate is signed by, for `sslmode=verify-full`.
    public var certificateAuthority: String { root + "/ca.pem" }
    /// Another CA, which signed nothing of this server's.
    public var otherAuthority: String { root + "/other-ca.pem" }

    /// A self-signed CA and, signed by it, the server's certificate for `localhost`; and an unrelated CA.
    private static func makeCertificates(in root: String) throws {
        func openssl(_ arguments: [String]) throws { try spawn("/usr/bin/openssl", ["openssl"] + arguments, output: root + "/openssl.out") }
        try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", root + "/ca.key", "-out", root + "/ca.pem",
                     "-days", "2", "-subj", "/CN=triage test CA"])
        try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", root + "/other-ca.key", "-out", root + "/other-ca.pem",
                     "-days", "2", "-subj", "/CN=another CA"])
        try openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", root + "/server.key", "-out", root + "/server.csr",
                     "-subj", "/CN=localhost"])
        try "subjectAltName=DNS:localhost\n".write(toFile: root + "/server.ext", atomically: true, encoding: .utf8)
        try openssl(["x509", "-req", "-in", root + "/server.csr", "-CA", root + "/ca.pem", "-CAkey", root + "/ca.key", "-CAcreateserial",
                     "-out", root + "/server.crt", "-days", "2", "-extfile", root + "/server.ext"])
        chmod(root + "/server.key", 0o600)
    }

    /// Servers of test processes that died without stopping theirs (a crash skips every exit hook):
    /// their directories name the process.
    private static func stopLeftovers() {
        let temporary = NSTemporaryDirectory()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? [] where name.hasPrefix("triage-pg-") {
            let parts = name.split(separator: "-")
            guard parts.count == 4, let owner = pid_t(parts[2]), kill(owner, 0) != 0, errno == ESRCH else { continue }
            let root = temporary + "/" + name
            if let postmaster = (try? String(contentsOfFile: root + "/data/postmaster.pid", encoding: .utf8))?.split(separator: "\n").first,
               let pid = pid_t(postmaster) {
                kill(pid, SIGQUIT)
            }
            try? FileManager.default.removeItem(atPath: root)
        }
    }

    /// Stops the server at once and removes its directory.
    public func stop() {
        try? run("pg_ctl", ["-D", root + "/data", "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Runs a server tool to its end, its output in `root/TOOL.out`. posix_spawn and waitpid, not
    /// Foundation's Process: that missed runuser's exit once pg_ctl had started the server.
    private func run(_ tool: String, _ arguments: [String]) throws {
        let executable = runAs == nil ? binaries + "/" + tool : "/usr/sbin/runuser"
        let argv = runAs.map { ["runuser", "-u", $0, "--", binaries + "/" + tool] } ?? [tool]
        try Self.spawn(executable, argv + arguments, output: root + "/\(tool).out")
    }

    static func spawn(_ executable: String, _ argv: [String], output: String) throws {
        let tool = (executable as NSString).lastPathComponent
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, cArguments, environ)
        guard spawned == 0 else { throw Unavailable(description: "cannot run \(executable): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            throw Unavailable(description: "\(tool) failed (status \(status)): \(text.suffix(600))")
        }
    }

    /// A port the kernel just gave out and took back.
    private static func freePort() -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Stops the server when the test process exits: after every test of either library has run.
private enum StopAtExit {
    nonisolated(unsafe) private static var server: PostgresServer?

    static func register(_ server: PostgresServer) {
        Self.server = server
        atexit { StopAtExit.stopOnce() }
    }

    static func stopOnce() {
        let server = Self.server
        Self.server = nil
        server?.stop()
    }
}

/// Unique numbers for database names.
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
