/// What a verify pass found.
public struct VerificationReport: Sendable, Hashable, CustomStringConvertible {
    /// Every record up to and including this position has a good checksum and links into the hash chain.
    public var intactUpTo: LogPosition
    /// The chain hash at ``intactUpTo``.
    public var headHash: RecordHash
    /// The first problem, if any.
    public var failure: EventLogError?

    public var description: String {
        if let failure { return "damaged: \(failure) (intact up to \(intactUpTo))" }
        return "intact up to \(intactUpTo)"
    }
}

/// Walks a log checking positions, checksums and the hash chain.
public enum LogVerifier {
    /// Verifies the log from its first record to `limit` (or the head).
    /// - Parameters:
    ///   - store: the store.
    ///   - limit: the last position to check; nil for the head.
    ///   - progress: called after each batch with the last position checked.
    /// - Returns: how far the log is intact, and the first failure.
    public static func verify<S: EventStore>(
        _ store: S, upTo limit: LogPosition? = nil, progress: (LogPosition) -> Void = { _ in }
    ) async -> VerificationReport {
        var previous = RecordHash.genesis
        var expected: LogPosition = 1
        do {
            let end = try await store.headPosition()
            let last = min(limit ?? end, end)
            var next: LogPosition = 1
            while next <= last {
                let batch = try await store.read(from: next, filter: .all, maxCount: 8192)
                if batch.isEmpty { break }
                let failure: EventLogError? = batch.withRecords { views in
                    for view in views {
                        if view.position > last { return nil }
                        if view.position != expected {
                            return EventLogError(.hashChainBroken, "expected position \(expected), found \(view.position)", position: expected)
                        }
                        let computed = RecordHash.chaining(previous, body: view.body)
                        if computed != view.hash {
                            return EventLogError(
                                .hashChainBroken, "the record's hash does not match its content and the previous hash",
                                position: view.position)
                        }
                        previous = computed
                        expected += 1
                    }
                    return nil
                }
                if let failure { return VerificationReport(intactUpTo: expected - 1, headHash: previous, failure: failure) }
                next = batch.nextPosition
                progress(expected - 1)
            }
            if limit == nil || limit! > expected - 1, let damage = await store.knownDamage() {
                return VerificationReport(intactUpTo: expected - 1, headHash: previous, failure: damage)
            }
            if limit == nil {
                if expected - 1 < end {
                    return VerificationReport(intactUpTo: expected - 1, headHash: previous, failure: EventLogError(
                        .corruptRecord, "the store declares its head at \(end), but its records end at \(expected - 1)", position: expected))
                }
                if let damage = await store.auditStorage() {
                    return VerificationReport(intactUpTo: expected - 1, headHash: previous, failure: damage)
                }
            }
            return VerificationReport(intactUpTo: expected - 1, headHash: previous, failure: nil)
        } catch let error as EventLogError {
            return VerificationReport(intactUpTo: expected - 1, headHash: previous, failure: error)
        } catch {
            return VerificationReport(
                intactUpTo: expected - 1, headHash: previous, failure: EventLogError(.ioFailure, "\(error)"))
        }
    }
}
