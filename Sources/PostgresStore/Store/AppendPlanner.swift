import EventLog
import Foundation

/// Judges a group of append requests against the log as it stands under the head lock, and writes the rows of
/// those that succeed: pure logic, no I/O, so it is tested without a server.
///
/// The caller (`PostgresAppender`) reads what the planner needs (the head, the streams' versions, the rows that
/// already carry the requests' event ids) inside the appending transaction, then copies `Plan/copyData` and
/// moves the head to `Plan/head`.
struct AppendPlanner {
    /// The outcome of planning one group.
    struct Plan {
        /// One result per request, in order.
        var results: [Result<AppendResult, EventLogError>]
        /// The rest of the input of `COPY events (EventRow.copyColumns) FROM STDIN (FORMAT binary)`: what was not
        /// handed to the sink yet, with the trailer.
        var copyData: [UInt8]
        /// Number of rows in ``copyData``.
        var rowCount: Int
        /// The head after the rows: last position and hash.
        var head: (position: LogPosition, hash: RecordHash)
        /// Each written stream's last version after the group (with the versions given).
        var versions: [StreamID: StreamVersion]
    }

    /// What the planner needs to know of the requests before reading the database.
    struct Needs {
        /// The distinct streams written.
        var streams: [StreamID]
        /// The distinct event ids offered.
        var eventIDs: [UUID]
        /// Whether an event id appears in more than one request of the group.
        var idsRepeatAcrossRequests: Bool
    }

    /// The streams and event ids the planner must look up.
    static func needs(of requests: [StreamAppend]) -> Needs {
        var streams = Set<StreamID>()
        var ids = Set<UUID>()
        var repeated = false
        var count = 0
        for r in requests { count += r.events.count }
        ids.reserveCapacity(count)
        var streamList: [StreamID] = []
        var idList: [UUID] = []
        idList.reserveCapacity(count)
        for r in requests {
            // A malformed stream id (one made unchecked, with NUL in it) must not reach a query: the server would
            // fail the whole group. The plan refuses that request on its own.
            if RecordFormat.isWellFormedStreamID(r.stream), streams.insert(r.stream).inserted { streamList.append(r.stream) }
            for e in r.events {
                if ids.insert(e.id).inserted { idList.append(e.id) } else { repeated = true }
            }
        }
        return Needs(streams: streamList, eventIDs: idList, idsRepeatAcrossRequests: repeated)
    }

    /// Whether an event id appears twice in a group (in one request or in two): what ``needs(of:)`` says in
    /// `Needs/idsRepeatAcrossRequests`, without collecting the streams (a bulk import knows every stream's version).
    static func idsRepeat(in requests: [StreamAppend]) -> Bool {
        var count = 0
        for r in requests { count += r.events.count }
        var ids = Set<UUID>(minimumCapacity: count)
        for r in requests {
            for e in r.events where !ids.insert(e.id).inserted { return true }
        }
        return false
    }

    /// Plans a group.
    /// - Parameters:
    ///   - requests: the requests, judged one after another.
    ///   - head: the last position and hash, read under the head lock.
    ///   - versions: each stream's current last version (absent: no stream).
    ///   - existing: the stored events carrying any of the requests' ids, whatever their stream.
    ///   - idsRepeatAcrossRequests: from ``needs(of:)``: keep written events for judging later requests.
    ///   - recordedTime: the recorded time of every row written.
    ///   - flushSize: hand COPY input to `sink` whenever this many bytes are ready (between requests).
    ///   - sink: receives parts of the COPY input as they are ready, so the server ingests while later rows are
    ///     hashed; the rest comes back in `Plan/copyData`.
    ///   - copyHeader: whether the COPY input starts with its header (false when it continues another plan's).
    ///   - copyTrailer: whether the COPY input ends with its trailer (false when another plan's rows follow).
    /// - Throws: only what `sink` throws.
    static func plan(
        _ requests: [StreamAppend], head: (position: LogPosition, hash: RecordHash), versions: [StreamID: StreamVersion],
        existing: [UUID: RecordedEvent], idsRepeatAcrossRequests: Bool, recordedTime: Timestamp,
        flushSize: Int = .max, sink: ([UInt8]) throws -> Void = { _ in }, copyHeader: Bool = true, copyTrailer: Bool = true
    ) throws -> Plan {
        var versions = versions
        var plan = try plan(
            requests, head: head, updating: &versions, existing: existing, idsRepeatAcrossRequests: idsRepeatAcrossRequests,
            recordedTime: recordedTime, flushSize: flushSize, sink: sink, copyHeader: copyHeader, copyTrailer: copyTrailer)
        plan.versions = versions
        return plan
    }

    /// Plans a group against every stream's version, updating them in place: a bulk import keeps one table of all
    /// its streams' versions and hands it over whole, rather than copying the group's streams out of it and the
    /// results back in (hashing every stream id three more times per request). The returned plan's
    /// `Plan/versions` is empty; `versions` holds the group's outcome (streams of refused requests unchanged).
    static func plan(
        _ requests: [StreamAppend], head: (position: LogPosition, hash: RecordHash), updating versions: inout [StreamID: StreamVersion],
        existing: [UUID: RecordedEvent], idsRepeatAcrossRequests: Bool, recordedTime: Timestamp,
        flushSize: Int = .max, sink: ([UInt8]) throws -> Void = { _ in }, copyHeader: Bool = true, copyTrailer: Bool = true
    ) throws -> Plan {
        var known = existing
        var position = head.position
        var hash = head.hash
        var results: [Result<AppendResult, EventLogError>] = []
        results.reserveCapacity(requests.count)
        var estimate = 0
        for r in requests { for e in r.events { estimate += 360 + e.payload.count } }
        var copy = PGCopyEncoder(
            capacity: min(estimate, flushSize.addingReportingOverflow(1 << 16).partialValue < 0 ? estimate : flushSize + (1 << 16)),
            header: copyHeader)
        var body: [UInt8] = []
        var rows = 0
        for request in requests {
            do throws(EventLogError) {
                try RecordFormat.validate(request)
                var stored: [RecordedEvent] = []
                if !known.isEmpty {
                    for e in request.events { if let old = known[e.id] { stored.append(old) } }
                }
                if let earlier = try Idempotency.judge(request, existing: stored) {
                    results.append(.success(earlier))
                    continue
                }
                let current = versions[request.stream]
                guard request.expected.isSatisfied(byCurrent: current) else {
                    throw EventLogError(
                        .wrongExpectedVersion,
                        "expected \(request.expected), the stream is at \(current.map { "version \($0)" } ?? "no stream")",
                        stream: request.stream)
                }
                var version = current.map { $0 + 1 } ?? 0
                let first = position + 1
                for event in request.events {
                    position += 1
                    body.removeAll(keepingCapacity: true)
                    hash = RecordFormat.encode(
                        event, stream: request.stream, position: position, streamVersion: version,
                        recordedTime: recordedTime, previousHash: hash, into: &body)
                    body.withUnsafeBytes { EventRow.encode(body: $0, into: &copy) }
                    if idsRepeatAcrossRequests {
                        known[event.id] = RecordedEvent(
                            position: position, stream: request.stream, streamVersion: version, id: event.id,
                            type: event.type, schemaVersion: event.schemaVersion, recordedTime: recordedTime,
                            effectiveTime: event.effectiveTime, payload: event.payload, metadata: event.metadata, hash: hash)
                    }
                    version += 1
                    rows += 1
                }
                versions[request.stream] = version - 1
                results.append(.success(AppendResult(streamVersion: version - 1, positions: first...position, wasAlreadyAppended: false)))
            } catch {
                results.append(.failure(error))
            }
            if copy.bytes.count >= flushSize { try sink(copy.takeBytes()) }
        }
        return Plan(results: results, copyData: copy.finish(trailer: copyTrailer), rowCount: rows, head: (position, hash), versions: [:])
    }
}
