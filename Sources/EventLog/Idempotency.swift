import Foundation

/// The idempotency rule shared by every store: how an append whose event ids are already in the stream is judged.
public enum Idempotency {
    /// Judges an append against the events of its stream that carry the same ids.
    /// - Parameters:
    ///   - append: the request.
    ///   - existing: the events already in the stream whose ids are among the request's.
    /// - Returns: nil when none of the ids is in the stream (append normally); the earlier result when all
    ///   are, with the same content, in the same order and contiguous (nothing to write).
    /// - Throws: ``EventLogError/Code/duplicateEventID`` when an id is there with other content, or only some are.
    public static func judge(_ append: StreamAppend, existing: [RecordedEvent]) throws(EventLogError) -> AppendResult? {
        guard !existing.isEmpty else { return nil }
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
