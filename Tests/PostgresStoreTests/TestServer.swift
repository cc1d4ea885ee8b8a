import CoreMetrics
import EventLog
import Logging
import Foundation
import PostgresStore
import Synchronization

/// The PostgreSQL server the tests use.
///
/// `REGISTRY_TEST_PG` (a libpq connection string) or `PGHOST` names an existing server. Otherwise the first test
/// to ask starts a private PostgreSQL: `initdb` into a temporary directory (as the `postgres` user when running as
/// root), `pg_ctl start` on a free loopback port with its socket in that directory, and a `registry_test`
/// database. It is stopped and its directory removed when the test process exits (`atexit`), and by a watchdog
/// process should the test process die without exiting.
///
/// If the server cannot be started, every test that needs it fails with the reason: none is skipped.
enum TestServer {
    struct StartFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// The connection string of the test server, starting it on first use.
    static func connectionString() throws -> String {
        try started.get()
    }

    private static let started: Result<String, StartFailure> = start()

    /// The private server's directory and binaries, for stopping it at exit.
    nonisolated(unsafe) private static var running: (dir: String, bin: String, asPostgres: Bool)?

    private static func start() -> Result<String, StartFailure> {
        let env = ProcessInfo.processInfo.environment
        if let named = env["REGISTRY_TEST_PG"], !named.isEmpty { return .success(named) }
        if let host = env["PGHOST"], !host.isEmpty { return .success("") }
        do {
            return .success(try startPrivateServer())
        } catch let error as StartFailure {
            return .failure(error)
        } catch {
            return .failure(StartFailure(description: "\(error)"))
        }
    }

    private static func binDirectory() throws -> String {
        var candidates: [String] = []
        if let list = try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql") {
            for v in list.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) { candidates.append("/usr/lib/postgresql/\(v)/bin") }
        }
        for p in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") { candidates.append(String(p)) }
        for dir in candidates where FileManager.default.isExecutableFile(atPath: dir + "/initdb")
            && FileManager.default.isExecutableFile(atPath: dir + "/pg_ctl") {
            return dir
        }
        throw StartFailure(description: "PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin or PATH; install postgresql, or set REGISTRY_TEST_PG to a libpq connection string")
    }

    /// Runs a program to completion with `posix_spawn` and `waitpid` (Foundation's `Process.waitUntilExit` can
    /// hang here when other children exist), its output going to `output`.
    private static func run(_ args: [String], asPostgres: Bool, what: String, output: String = "/dev/null") throws {
        let argv = asPostgres ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + args : args
        let pid = try spawn(argv, output: output)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = (status & 0x7F) == 0
        let code = (status >> 8) & 0xFF
        guard exited, code == 0 else {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            throw StartFailure(description: "\(what) failed (status \(status)): \(text.suffix(2000))")
        }
    }

    /// Starts a program with stdin from /dev/null and stdout and stderr appended to `output`.
    private static func spawn(_ argv: [String], output: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArgs = argv.map { strdup($0) }
        cArgs.append(nil)
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, nil, cArgs, environ)
        guard rc == 0 else { throw StartFailure(description: "could not start \(argv[0]): error \(rc)") }
        return pid
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StartFailure(description: "socket() failed: errno \(errno)") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard bound else { throw StartFailure(description: "could not find a free loopback port: errno \(errno)") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    private static func startPrivateServer() throws -> String {
        let bin = try binDirectory()
        var template = Array("/tmp/registry-pg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw StartFailure(description: "mkdtemp failed: errno \(errno)") }
        let dir = String(cString: made)
        let asPostgres = getuid() == 0
        if asPostgres {
            guard let pw = getpwnam("postgres") else {
                throw StartFailure(description: "running as root, but there is no `postgres` user to run the server as")
            }
            chown(dir, pw.pointee.pw_uid, pw.pointee.pw_gid)
        }
        try run([bin + "/initdb", "-D", dir + "/data", "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"],
                asPostgres: asPostgres, what: "initdb", output: dir + "/initdb.log")
        running = (dir, bin, asPostgres)
        atexit { TestServer.stop() }
        startWatchdog(dir: dir, bin: bin, asPostgres: asPostgres)
        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = try freePort()
            let options = "-p \(port) -k \(dir) -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off"
            do {
                try run([bin + "/pg_ctl", "-D", dir + "/data", "-l", dir + "/server.log", "-w", "-t", "60", "-o", options, "start"],
                        asPostgres: asPostgres, what: "pg_ctl start", output: dir + "/pg_ctl.log")
            } catch {
                lastError = error
                continue
            }
            let admin = "host=127.0.0.1 port=\(port) user=postgres dbname=postgres connect_timeout=10"
            let connection = try PGConnection(admin)
            try connection.execute("CREATE DATABASE registry_test")
            return "host=127.0.0.1 port=\(port) user=postgres dbname=registry_test connect_timeout=10"
        }
        let log = (try? String(contentsOfFile: dir + "/server.log", encoding: .utf8)) ?? ""
        throw StartFailure(description: "\(lastError.map { "\($0)" } ?? "pg_ctl start failed"); server log: \(log.suffix(2000))")
    }

    /// A shell that stops the server and removes its directory once this process is gone, however it ends.
    private static func startWatchdog(dir: String, bin: String, asPostgres: Bool) {
        let stop = (asPostgres ? "/usr/sbin/runuser -u postgres -- " : "") + "\(bin)/pg_ctl -D \(dir)/data stop -m immediate"
        let script = "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; \(stop) >/dev/null 2>&1; rm -rf \(dir)"
        _ = try? spawn(["/bin/sh", "-c", script], output: "/dev/null")
    }

    /// Stops the private server and removes its directory.
    static func stop() {
        guard let (dir, bin, asPostgres) = running else { return }
        running = nil
        try? run([bin + "/pg_ctl", "-D", dir + "/data", "stop", "-m", "immediate", "-w"], asPostgres: asPostgres, what: "pg_ctl stop")
        try? FileManager.default.removeItem(atPath: dir)
    }
}

/// Opening stores in schemas of their own, so tests run in parallel without meeting.
enum TestStores {
    /// A fresh schema name, dropped when the test process exits (what a named server keeps otherwise).
    static func newSchema() -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        created.withLock { list in
            if list.isEmpty { atexit { TestStores.dropAll() } }
            list.append(name)
        }
        return name
    }

    private static let created = Mutex<[String]>([])

    /// Drops every schema this process created, ignoring failures.
    static func dropAll() {
        let names = created.withLock { list in defer { list = [] }; return list }
        guard !names.isEmpty, let c = try? PGConnection(try TestServer.connectionString()) else { return }
        for name in names { _ = try? c.execute("DROP SCHEMA IF EXISTS \"\(name)\" CASCADE") }
    }

    /// Opens a store on a fresh schema.
    ///
    /// One reader connection unless asked (a store then holds three connections: writer, reader, listener), and
    /// the suites that open many stores run their tests one at a time, so the whole target stays well under a
    /// default server's `max_connections` (100) when `REGISTRY_TEST_PG` names one.
    static func open(
        schema: String = newSchema(), pollInterval: Duration = .seconds(1), readers: Int = 1,
        access: PostgresEventStore.Configuration.Access = .readWrite, logger: Logger? = nil,
        metricsFactory: (any MetricsFactory)? = nil
    ) async throws -> PostgresEventStore {
        try await PostgresEventStore(
            .init(connectionString: try TestServer.connectionString(), schema: schema, readerConnections: readers,
                  pollInterval: pollInterval, access: access, logger: logger, metricsFactory: metricsFactory))
    }

    /// Sets the last byte of the record at `position` (its payload's last character) to `character`, behind the store's
    /// back (the append-only trigger disabled for the one statement): an edit of the same length, which only the
    /// hash chain can tell.
    static func setLastPayloadCharacter(_ character: String, schema: String, position: LogPosition) throws {
        let c = try PGConnection(try TestServer.connectionString())
        let events = "\"\(schema)\".events"
        try c.execute("ALTER TABLE \(events) DISABLE TRIGGER events_append_only")
        try c.execute("UPDATE \(events) SET record = overlay(record placing convert_to('\(character)', 'UTF8') from octet_length(record) for 1) WHERE position = \(position)")
        try c.execute("ALTER TABLE \(events) ENABLE TRIGGER events_append_only")
    }

    /// Runs `body` with a store on a fresh schema, then closes it and drops the schema.
    static func with<R>(_ body: (PostgresEventStore) async throws -> R) async throws -> R {
        let schema = newSchema()
        let store = try await open(schema: schema)
        do {
            let r = try await body(store)
            try await store.close()
            try drop(schema)
            return r
        } catch {
            try? await store.close()
            try? drop(schema)
            throw error
        }
    }

    /// Drops a test schema.
    static func drop(_ schema: String) throws {
        let c = try PGConnection(try TestServer.connectionString())
        try c.execute("DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE")
    }
}
