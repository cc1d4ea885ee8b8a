import CLibPQ

extension PGConnection {
    /// Sends several statements at once in libpq's pipeline mode and waits once for all their results: one round
    /// trip instead of one per statement. The server runs them in order, as if sent one by one.
    /// - Parameters:
    ///   - statements: the statements; none may be `COPY`.
    ///   - context: what the caller is doing, for error messages.
    /// - Returns: one result per statement, in order.
    /// - Throws: ``PostgresError``: the first statement's failure (later statements are then skipped by the
    ///   server; an open transaction is left failed, for the caller to roll back).
    package func pipeline(_ statements: [PGStatement], context: String? = nil) throws(PostgresError) -> [PGResult] {
        guard PQenterPipelineMode(handle) == 1 else {
            throw PostgresError(.protocolViolation, "could not enter pipeline mode: \(Self.trimmed(PQerrorMessage(handle)))", context: context)
        }
        // What each result answers: a PREPARE (skipped) or the statement at an index.
        var expected: [Int?] = []
        var newlyPrepared: [(Int, String)] = []
        var sendFailed = false
        for (i, s) in statements.enumerated() where !sendFailed {
            let ok: Bool = s.parameters.withCArrays { values, lengths, formats, types in
                let n = Int32(s.parameters.count)
                let format: Int32 = s.binaryResult ? 1 : 0
                guard let name = s.preparedName else {
                    expected.append(i)
                    return PQsendQueryParams(handle, s.sql, n, types, values, lengths, formats, format) == 1
                }
                if !isPrepared(name) {
                    guard PQsendPrepare(handle, name, s.sql, n, types) == 1 else { return false }
                    expected.append(nil)
                    newlyPrepared.append((expected.count - 1, name))
                }
                expected.append(i)
                return PQsendQueryPrepared(handle, name, n, values, lengths, formats, format) == 1
            }
            if !ok { sendFailed = true }
        }
        if sendFailed || PQpipelineSync(handle) != 1 {
            let message = Self.trimmed(PQerrorMessage(handle))
            endPipeline()
            throw PostgresError(isHealthy ? .protocolViolation : .connection, message, context: context)
        }
        var results = [PGResult?](repeating: nil, count: statements.count)
        var failure: PostgresError?
        var answered = 0
        var nulls = 0
        while true {
            guard let r = PQgetResult(handle) else {
                // A NULL ends one statement's results; two in a row mean the sync will not come.
                nulls += 1
                if !isHealthy || nulls > 1 { break }
                continue
            }
            nulls = 0
            let status = PQresultStatus(r)
            if status == PGRES_PIPELINE_SYNC { PQclear(r); break }
            let slot = answered < expected.count ? expected[answered] : nil
            let isPrepare = answered < expected.count && expected[answered] == nil
            answered += 1
            switch status {
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
                if isPrepare, let p = newlyPrepared.first(where: { $0.0 == answered - 1 }) { markPrepared(p.1) }
                if let slot { results[slot] = PGResult(handle: r) } else { PQclear(r) }
            case PGRES_PIPELINE_ABORTED:
                PQclear(r)
            default:
                if failure == nil { failure = error(from: r, context: context) }
                PQclear(r)
            }
        }
        endPipeline()
        if let failure { throw failure }
        guard results.allSatisfy({ $0 != nil }) else {
            throw PostgresError(isHealthy ? .protocolViolation : .connection, "a pipeline ended before every statement answered", context: context)
        }
        return results.map { $0! }
    }

    private func endPipeline() {
        if PQexitPipelineMode(handle) != 1 {
            while let r = PQgetResult(handle) { PQclear(r) }
            _ = PQexitPipelineMode(handle)
        }
    }
}
