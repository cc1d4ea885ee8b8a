import CLibPQ
import EventLog

extension PGConnection {
    /// Runs `COPY … FROM STDIN` and sends `data` as its input.
    /// - Parameters:
    ///   - sql: the `COPY … FROM STDIN` statement (fixed text: COPY takes no parameters).
    ///   - data: the whole input, in the format the statement names (for `FORMAT binary`, see `PGCopyEncoder`).
    ///   - context: what the caller is doing, for error messages.
    /// - Returns: the number of rows copied.
    /// - Throws: ``PostgresError``.
    @discardableResult
    package func copyIn(_ sql: String, data: [UInt8], context: String? = nil) throws(PostgresError) -> Int {
        try beginCopyIn(sql, context: context)
        do {
            try putCopyData(data, context: context)
        } catch {
            abortCopyIn()
            throw error
        }
        return try endCopyIn(context: context)
    }

    /// Starts `COPY … FROM STDIN`; follow with ``putCopyData(_:context:)`` and ``endCopyIn(context:)`` (or
    /// ``abortCopyIn()``), so input can be sent while it is still being produced.
    /// - Throws: ``PostgresError``.
    package func beginCopyIn(_ sql: String, context: String? = nil) throws(PostgresError) {
        let start = try execute(sql, context: context)
        guard PQresultStatus(start.handle) == PGRES_COPY_IN else {
            throw PostgresError(.protocolViolation, "the statement did not start COPY FROM STDIN", context: context)
        }
    }

    /// Sends part of the input of a `COPY … FROM STDIN` begun with ``beginCopyIn(_:context:)``.
    /// - Throws: ``PostgresError`` when the connection fails.
    package func putCopyData(_ data: [UInt8], context: String? = nil) throws(PostgresError) {
        let result = data.withUnsafeBytes { raw -> Result<Void, PostgresError> in
            Result { () throws(PostgresError) in try putCopyData(raw, context: context) }
        }
        try result.get()
    }

    /// Sends part of the input of a `COPY … FROM STDIN` from memory the caller owns (no copy into an array first).
    /// - Throws: ``PostgresError`` when the connection fails.
    package func putCopyData(_ raw: UnsafeRawBufferPointer, context: String? = nil) throws(PostgresError) {
        let chunk = 1 << 20
        var offset = 0
        while offset < raw.count {
            let n = min(chunk, raw.count - offset)
            let p = (raw.baseAddress! + offset).assumingMemoryBound(to: CChar.self)
            guard PQputCopyData(handle, p, Int32(n)) == 1 else {
                throw PostgresError(.connection, Self.trimmed(PQerrorMessage(handle)), context: context)
            }
            offset += n
        }
    }

    /// Ends the input of a `COPY … FROM STDIN` and returns the number of rows copied.
    /// - Throws: ``PostgresError``, such as a constraint violated by a row.
    @discardableResult
    package func endCopyIn(context: String? = nil) throws(PostgresError) -> Int {
        guard PQputCopyEnd(handle, nil) == 1 else {
            let message = Self.trimmed(PQerrorMessage(handle))
            drainResults()
            throw PostgresError(.connection, message, context: context)
        }
        return try finishCopy(context: context)
    }

    /// Abandons a `COPY … FROM STDIN`: the server discards the rows and fails the transaction.
    package func abortCopyIn() {
        _ = PQputCopyEnd(handle, "abandoned by the client")
        drainResults()
    }

    /// Runs `COPY … TO STDOUT` and hands each chunk of output to `body` (one row per chunk for libpq).
    /// - Parameters:
    ///   - sql: the `COPY … TO STDOUT` statement.
    ///   - context: what the caller is doing, for error messages.
    ///   - body: called with each chunk; the bytes are valid only during the call.
    /// - Returns: the number of rows copied.
    /// - Throws: ``PostgresError``, or what `body` throws (after the copy is drained).
    @discardableResult
    package func copyOut(_ sql: String, context: String? = nil, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        let start = try execute(sql, context: context)
        guard PQresultStatus(start.handle) == PGRES_COPY_OUT else {
            throw PostgresError(.protocolViolation, "the statement did not start COPY TO STDOUT", context: context)
        }
        var bodyError: (any Error)?
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let n = PQgetCopyData(handle, &buffer, 0)
            if n > 0, let buffer {
                if bodyError == nil {
                    do { try body(UnsafeRawBufferPointer(start: buffer, count: Int(n))) } catch { bodyError = error }
                }
                PQfreemem(buffer)
            } else if n == -1 {
                break
            } else {
                let message = Self.trimmed(PQerrorMessage(handle))
                drainResults()
                throw PostgresError(.connection, message, context: context)
            }
        }
        let rows = try finishCopy(context: context)
        if let bodyError { throw bodyError }
        return rows
    }

    /// Runs `COPY … TO STDOUT (FORMAT binary)` and hands each row (its field count and fields, without the
    /// format's header and trailer) to `row`.
    /// - Throws: `EventLogError` (`corruptRecord`) when the header is cut short;
    ///   ``PostgresError``; what `row` throws (after the copy is drained).
    @discardableResult
    package func copyOutBinaryRows(_ sql: String, context: String? = nil, _ row: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        var sawHeader = false
        return try copyOut(sql, context: context) { chunk in
            var data = chunk
            if !sawHeader {
                // Signature (11 bytes), flags (4), header extension length (4) and extension.
                guard data.count >= 19 else { throw EventLogError(.corruptRecord, "a COPY header was cut short") }
                let extensionLength = Int(PGBinary.load(Int32.self, from: data, at: 15))
                data = UnsafeRawBufferPointer(rebasing: data[(19 + extensionLength)...])
                sawHeader = true
                if data.isEmpty { return }
            }
            if data.count == 2, PGBinary.load(Int16.self, from: data) == -1 { return }  // the trailer
            try row(data)
        }
    }

    private func finishCopy(context: String?) throws(PostgresError) -> Int {
        var rows = 0
        var failure: PostgresError?
        while let r = PQgetResult(handle) {
            if PQresultStatus(r) == PGRES_COMMAND_OK {
                rows = Int(String(cString: PQcmdTuples(r))) ?? 0
            } else if failure == nil {
                failure = error(from: r, context: context)
            }
            PQclear(r)
        }
        if let failure { throw failure }
        return rows
    }

    private func drainResults() {
        while let r = PQgetResult(handle) { PQclear(r) }
    }
}
