import CLibPQ
import Foundation

/// One libpq connection: a thin, safe layer over `PGconn`.
///
/// Every method blocks the calling thread until the server answers.
/// - Important: Never call it from Swift's cooperative thread pool (an `async` function): use it on a thread of
///   its own, as ``PostgresEventStore`` does through its connection workers. A connection is not thread-safe; use
///   it from one thread at a time. It is deliberately not `Sendable`.
package final class PGConnection {
    let handle: OpaquePointer
    private var prepared: Set<String> = []

    /// Connects.
    /// - Parameters:
    ///   - connectionString: a libpq connection string (`host=… port=… dbname=…`) or URI (`postgresql://…`);
    ///     empty to use only the `PG*` environment variables (`PGHOST`, `PGPORT`, …).
    ///   - applicationName: shown in `pg_stat_activity`, unless the connection string or `PGAPPNAME` sets one.
    ///   - connectTimeoutSeconds: libpq's `connect_timeout`, unless the connection string or `PGCONNECT_TIMEOUT`
    ///     sets one (libpq waits for ever by default).
    /// - Throws: ``PostgresError`` with code ``PostgresError/Code/connection``.
    package init(_ connectionString: String, applicationName: String? = nil, connectTimeoutSeconds: Int? = nil) throws(PostgresError) {
        // `dbname` holding a whole connection string is expanded (expand_dbname = 1). Keywords are processed in
        // order, the last value winning: `connect_timeout` before `dbname` is a default the string can override;
        // the later `fallback_application_name` applies only when nothing names an application.
        var keywords = ["dbname", "fallback_application_name"]
        var values = [connectionString, applicationName ?? ""]
        if let connectTimeoutSeconds, ProcessInfo.processInfo.environment["PGCONNECT_TIMEOUT"] == nil {
            keywords.insert("connect_timeout", at: 0)
            values.insert(String(max(2, connectTimeoutSeconds)), at: 0)
        }
        var cKeywords = keywords.map { strdup($0) } + [nil]
        var cValues = values.map { strdup($0) } + [nil]
        defer {
            for p in cKeywords { free(p) }
            for p in cValues { free(p) }
        }
        // Started without blocking, so that the notice processor is in place before the first message is read:
        // a server that ends a backend right after its startup (`pg_terminate_backend`, a shutdown) sends a FATAL
        // that libpq treats as a notice, and the blocking `PQconnectdbParams` would print it on standard error
        // with its default processor before returning. An embedded library must not write to its host's stderr,
        // and a notice may quote values, so notices are dropped from the first byte on.
        let h = cKeywords.withUnsafeMutableBufferPointer { k in
            cValues.withUnsafeMutableBufferPointer { v in
                k.withMemoryRebound(to: UnsafePointer<CChar>?.self) { kk in
                    v.withMemoryRebound(to: UnsafePointer<CChar>?.self) { vv in
                        PQconnectStartParams(kk.baseAddress, vv.baseAddress, 1)
                    }
                }
            }
        }
        guard let h else {
            throw PostgresError(.connection, "libpq could not allocate a connection")
        }
        PQsetNoticeProcessor(h, { _, _ in }, nil)
        do {
            try Self.complete(h)
        } catch {
            PQfinish(h)
            throw error
        }
        handle = h
    }

    /// Drives a connection started by `PQconnectStartParams` to its end, waiting on its socket with `poll`, as
    /// libpq's blocking connect does; `connect_timeout` (from the connection string, `PGCONNECT_TIMEOUT` or the
    /// caller) bounds the whole attempt (libpq applies it per host; one deadline here).
    private static func complete(_ h: OpaquePointer) throws(PostgresError) {
        guard PQstatus(h) != CONNECTION_BAD else {
            throw PostgresError(.connection, trimmed(PQerrorMessage(h)), context: PostgresError.connectContext)
        }
        let deadline = connectTimeout(h).map { DispatchTime.now().uptimeNanoseconds + UInt64($0) * 1_000_000_000 }
        var state = PGRES_POLLING_WRITING
        while true {
            switch state {
            case PGRES_POLLING_OK:
                return
            case PGRES_POLLING_FAILED:
                throw PostgresError(.connection, trimmed(PQerrorMessage(h)), context: PostgresError.connectContext)
            case PGRES_POLLING_READING, PGRES_POLLING_WRITING:
                var descriptor = pollfd(fd: PQsocket(h), events: Int16(state == PGRES_POLLING_READING ? POLLIN : POLLOUT), revents: 0)
                var milliseconds: Int32 = -1
                if let deadline {
                    let now = DispatchTime.now().uptimeNanoseconds
                    milliseconds = now >= deadline ? 0 : Int32(clamping: (deadline - now + 999_999) / 1_000_000)
                }
                let ready = poll(&descriptor, 1, milliseconds)
                if ready == 0 {
                    throw PostgresError(.connection, "timeout expired", context: PostgresError.connectContext)
                }
                if ready < 0 && errno != EINTR {
                    throw PostgresError(.connection, "waiting for the server: \(String(cString: strerror(errno)))", context: PostgresError.connectContext)
                }
                if ready < 0 { continue }
            default:
                break
            }
            state = PQconnectPoll(h)
        }
    }

    /// The connection's `connect_timeout` in seconds (at least 2, as libpq reads it), or nil for none.
    private static func connectTimeout(_ h: OpaquePointer) -> Int? {
        guard let options = PQconninfo(h) else { return nil }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "connect_timeout", let value = option.pointee.val {
                guard let seconds = Int(String(cString: value).trimmingCharacters(in: .whitespaces)), seconds > 0 else { return nil }
                return max(2, seconds)
            }
            option += 1
        }
        return nil
    }

    deinit { PQfinish(handle) }

    /// Whether the connection is still usable.
    package var isHealthy: Bool { PQstatus(handle) == CONNECTION_OK }

    /// Whether a transaction is open (or failed and awaiting rollback).
    package var isInTransaction: Bool {
        let s = PQtransactionStatus(handle)
        return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE
    }

    /// The server's version number, such as 150018.
    package var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// Runs one or more SQL commands without parameters (the simple query protocol) and returns the last result.
    /// - Important: Only for fixed SQL text (DDL, `BEGIN`, `COMMIT`): never splice values into it.
    /// - Throws: ``PostgresError``.
    @discardableResult
    package func execute(_ sql: String, context: String? = nil) throws(PostgresError) -> PGResult {
        try check(PQexec(handle, sql), context: context)
    }

    /// Runs one parameterised statement.
    /// - Parameters:
    ///   - sql: the statement, naming its parameters `$1`, `$2`, ….
    ///   - parameters: the values, sent in binary.
    ///   - binaryResult: whether result columns come back in binary (the default) or text.
    ///   - context: what the caller is doing, for error messages.
    /// - Throws: ``PostgresError``.
    @discardableResult
    package func query(
        _ sql: String, _ parameters: PGParameters = PGParameters(), binaryResult: Bool = true, context: String? = nil
    ) throws(PostgresError) -> PGResult {
        let result = parameters.withCArrays { values, lengths, formats, types in
            PQexecParams(handle, sql, Int32(parameters.count), types, values, lengths, formats, binaryResult ? 1 : 0)
        }
        return try check(result, context: context)
    }

    /// Runs a statement prepared once per connection under `name`.
    /// - Parameters:
    ///   - name: the prepared statement's name, unique per SQL text.
    ///   - sql: the statement; prepared on first use with the parameters' types.
    ///   - parameters: the values, sent in binary.
    ///   - binaryResult: whether result columns come back in binary.
    ///   - context: what the caller is doing, for error messages.
    /// - Throws: ``PostgresError``.
    @discardableResult
    package func query(
        prepared name: String, _ sql: String, _ parameters: PGParameters, binaryResult: Bool = true, context: String? = nil
    ) throws(PostgresError) -> PGResult {
        if !prepared.contains(name) {
            let r = parameters.withCArrays { _, _, _, types in
                PQprepare(handle, name, sql, Int32(parameters.count), types)
            }
            try check(r, context: context)
            prepared.insert(name)
        }
        let result = parameters.withCArrays { values, lengths, formats, _ in
            PQexecPrepared(handle, name, Int32(parameters.count), values, lengths, formats, binaryResult ? 1 : 0)
        }
        return try check(result, context: context)
    }

    func isPrepared(_ name: String) -> Bool { prepared.contains(name) }

    func markPrepared(_ name: String) { prepared.insert(name) }

    /// Rolls back an open transaction, if any, ignoring failures: leaves the connection ready for reuse.
    package func rollbackIfNeeded() {
        if isHealthy, isInTransaction { _ = PQexec(handle, "ROLLBACK").map { PQclear($0) } }
    }

    // MARK: Errors

    @discardableResult
    func check(_ result: OpaquePointer?, context: String?) throws(PostgresError) -> PGResult {
        guard let result else {
            throw PostgresError(isHealthy ? .protocolViolation : .connection, Self.trimmed(PQerrorMessage(handle)), context: context)
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE:
            return PGResult(handle: result)
        default:
            let error = error(from: result, context: context)
            PQclear(result)
            throw error
        }
    }

    func error(from result: OpaquePointer, context: String?) -> PostgresError {
        func field(_ code: UInt8) -> String? {
            guard let p = PQresultErrorField(result, Int32(code)) else { return nil }
            return String(cString: p)
        }
        let primary = field(UInt8(ascii: "M")) ?? Self.trimmed(PQresultErrorMessage(result))
        let state = field(UInt8(ascii: "C"))
        return PostgresError(
            state == nil && !isHealthy ? .connection : .server, primary, sqlState: state, context: context,
            constraint: field(UInt8(ascii: "n")))
    }

    static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "unknown libpq error" }
        return String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
