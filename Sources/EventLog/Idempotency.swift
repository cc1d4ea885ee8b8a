import Foundation

/// The idempotency rule shared by every store: how an append whose event ids are already in the log is judged.
///
/// Event ids are unique across the whole log, in every store: an id names one fact, wherever it was appended.
/// - An append none of whose ids is in the log is appended normally.
/// - An append all of whose ids are already in **its** stream, with the same content, in the same order and as
///   one contiguous run (the same request sent again) succeeds with ``AppendResult/wasAlreadyAppended`` and
///   writes nothing.
/// - Anything else that reuses an id is ``EventLogError/Code/duplicateEventID`` and writes nothing: an id
///   already used in **another** stream (whatever the content), an id in the stream with other content, or only
///   some of the ids already there.
public enum Idempotency {
    /// Judges an append against the stored events that carry any of its ids.
    /// - Parameters:
    ///   - append: the request.
    ///   - existing: the events already in the log, in any stream, whose ids are among the request's.
    /// - Returns: nil when none of the ids is in the log (append normally); the earlier result when all are in
    ///   the request's stream, with the same content, in the same order and contiguous (nothing to write).
    /// - Throws: ``EventLogError/Code/duplicateEventID`` when an id is in another stream, in the stream with other
    ///   content, or only some are. The message names the event id and the position of its earlier use, never
    ///   the other stream (whose id may carry personal data).
    public static func judge(_ append: StreamAppend, existing: [RecordedEvent]) throws(EventLogError) -> AppendResult? {
        guard !existing.isEmpty else { return nil }
        if let elsewhere = existing.first(where: { $0.stream != append.stream }) {
            throw EventLogError(
                .duplicateEventID,
                "event id \(elsewhere.id) is already used by another stream, at position \(elsewhere.position); event ids are unique across the log",
                stream: append.stream, position: elsewhere.position)
        }
        let byID = Dictionary(existing.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for event in append.events {
            if let old = byID[event.id], !old.hasSameContent(as: event) {
                throw EventLogError(
                    .duplicateEventID,
                    "event id \(event.id) is already in the stream at version \(old.streamVersion) with different content",
                    stream: append.stream, position: old.position)
            }
        }
        let matched = append.events.compactMap { byID[$0.id] }
        guard matched.count == append.events.count else {
            throw EventLogError(
                .duplicateEventID, "\(matched.count) of the \(append.events.count) events are already in the stream and the others are not",
                stream: append.stream)
        }
        for (a, b) in zip(matched, matched.dropFirst()) where b.streamVersion != a.streamVersion + 1 {
            throw EventLogError(.duplicateEventID, "these events are already in the stream, but not as one append in this order", stream: append.stream)
        }
        return AppendResult(
            streamVersion: matched.last!.streamVersion, positions: matched.first!.position...matched.last!.position,
            wasAlreadyAppended: true)
    }
}
