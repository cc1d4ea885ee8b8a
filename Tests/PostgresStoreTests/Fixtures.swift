import EventLog
import Foundation

/// Small helpers for building events in tests.
enum Fixtures {
    static let t0 = Timestamp(microsecondsSinceEpoch: 1_700_000_000_000_000)

    static func event(_ type: String = "Something", payload: String = "{\"n\":1}", metadata: EventMetadata = .none, id: UUID = UUID()) -> ProposedEvent {
        ProposedEvent(id: id, type: type, schemaVersion: 1, effectiveTime: t0, payload: Array(payload.utf8), metadata: metadata)
    }

    static func events(_ n: Int, type: String = "Something") -> [ProposedEvent] {
        (0..<n).map { event(type, payload: "{\"n\":\($0)}") }
    }

    static func stream(_ name: String) -> StreamID { try! StreamID(name) }
}
