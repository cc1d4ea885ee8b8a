import Foundation
import EventLog

/// One event in the documented JSON form: a line of a JSON Lines import or export.
///
/// ```json
/// {"id":"…","stream":"person-120101198503170024","type":"PersonEnrolled","version":2,
///  "effective":"2024-03-01T00:00:00.000000Z","recorded":"…","position":17,"actor":"operator:ops-1",
///  "correlation":"…","causation":"…","headers":{"device":"A1"},"data":{…}}
/// ```
///
/// - `id`, `stream`, `type`, `version`, `effective` and `data` are required; `version` may be older than the
///   type's current one (the `data` then has the old shape) and is kept as is.
/// - `effective` is ISO 8601 with microseconds in UTC; a date alone (`2024-03-01`) means midnight China
///   Standard Time.
/// - `recorded` and `position` are written on export for people and ignored on import: the store assigns them.
/// - `actor`, `correlation`, `causation`, `headers` are the event metadata, omitted when empty.
///
/// - Important: `data` carries full personal values: JSON Lines files are confidential.
public struct JSONEventLine: Hashable, Sendable {
    /// The event id.
    public var id: UUID
    /// The stream.
    public var stream: StreamID
    /// The event in its stored schema version.
    public var event: StoredRegistryEvent
    /// When it happened in the world.
    public var effective: Timestamp
    /// When the store recorded it (export only).
    public var recorded: Timestamp?
    /// Its global position (export only).
    public var position: LogPosition?
    /// Who recorded it and from what source.
    public var metadata: EventMetadata

    /// Creates a line.
    public init(
        id: UUID, stream: StreamID, event: StoredRegistryEvent, effective: Timestamp,
        recorded: Timestamp? = nil, position: LogPosition? = nil, metadata: EventMetadata = .none
    ) {
        self.id = id
        self.stream = stream
        self.event = event
        self.effective = effective
        self.recorded = recorded
        self.position = position
        self.metadata = metadata
    }

    /// The line of a recorded event, in its stored schema version.
    /// - Throws: ``EventFormatError`` when the record is not a readable registry event.
    public init(_ recorded: RecordedEvent) throws(EventFormatError) {
        self.init(
            id: recorded.id, stream: recorded.stream, event: try StoredRegistryEvent.decode(recorded),
            effective: recorded.effectiveTime, recorded: recorded.recordedTime, position: recorded.position,
            metadata: recorded.metadata)
    }

    /// The proposed event to append (same id, type, version, payload, effective time and metadata).
    public var proposed: ProposedEvent { event.proposed(id: id, effective: effective, metadata: metadata) }

    /// Checks that the event belongs in its stream: the category matches the type, and a
    /// ``PersonRegistered``'s citizen ID or an ``EmployerRegistered``'s credit code is the stream's.
    /// - Throws: ``EventFormatError/Code/wrongStream``.
    public func checkStream() throws(EventFormatError) {
        let target = try RegistryStream(stream)
        guard target.category == event.type.category else {
            throw EventFormatError(.wrongStream, "\(event.type.rawValue) belongs in \(event.type.category.rawValue) streams", stream: stream)
        }
        switch (event.upcast, target) {
        case (.personRegistered(let p), .person(let id)) where p.citizenID != id:
            throw EventFormatError(.wrongStream, "the citizen ID in the data is not the stream's", stream: stream)
        case (.employerRegistered(let p), .employer(let code)) where p.creditCode != code:
            throw EventFormatError(.wrongStream, "the credit code in the data is not the stream's", stream: stream)
        case (.targetSet(let p), .target(let area)) where p.area != area:
            throw EventFormatError(.wrongStream, "the area in the data is not the stream's", stream: stream)
        default: return
        }
    }
}

extension JSONEventLine: Codable {
    enum CodingKeys: String, CodingKey {
        case id, stream, type, version, effective, recorded, position, actor, correlation, causation, headers, data
    }

    /// Encodes the documented form.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(stream.rawValue, forKey: .stream)
        try c.encode(event.type.rawValue, forKey: .type)
        try c.encode(event.schemaVersion, forKey: .version)
        try c.encode(ISOTimestamp(effective), forKey: .effective)
        try c.encodeIfPresent(recorded.map(ISOTimestamp.init), forKey: .recorded)
        try c.encodeIfPresent(position, forKey: .position)
        if !metadata.actor.isEmpty { try c.encode(metadata.actor, forKey: .actor) }
        try c.encodeIfPresent(metadata.correlationID, forKey: .correlation)
        try c.encodeIfPresent(metadata.causationID, forKey: .causation)
        if !metadata.headers.isEmpty { try c.encode(metadata.headers, forKey: .headers) }
        switch event {
        case .current(let e): try e.encodeData(to: &c, forKey: .data)
        case .personEnrolledV1(let p): try c.encode(p, forKey: .data)
        }
    }

    /// Decodes the documented form, checking every identifier in `data`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(UUID.self, forKey: .id)
        do {
            stream = try StreamID(try c.decode(String.self, forKey: .stream))
        } catch let error as EventLogError {
            throw DecodingError.dataCorruptedError(forKey: .stream, in: c, debugDescription: error.message)
        }
        let typeName = try c.decode(String.self, forKey: .type)
        guard let type = RegistryEventType(rawValue: typeName) else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "not a registry event type")
        }
        let version = try c.decode(UInt16.self, forKey: .version)
        if version == type.currentVersion {
            event = .current(try RegistryEvent.decodeData(type, from: c, forKey: .data))
        } else if type == .personEnrolled, version == 1 {
            event = .personEnrolledV1(try c.decode(PersonEnrolledV1.self, forKey: .data))
        } else {
            throw DecodingError.dataCorruptedError(forKey: .version, in: c, debugDescription: "\(typeName) has no schema version \(version)")
        }
        effective = try c.decode(ISOTimestamp.self, forKey: .effective).timestamp
        recorded = try c.decodeIfPresent(ISOTimestamp.self, forKey: .recorded)?.timestamp
        position = try c.decodeIfPresent(LogPosition.self, forKey: .position)
        metadata = EventMetadata(
            correlationID: try c.decodeIfPresent(UUID.self, forKey: .correlation),
            causationID: try c.decodeIfPresent(UUID.self, forKey: .causation),
            actor: try c.decodeIfPresent(String.self, forKey: .actor) ?? "",
            headers: try c.decodeIfPresent([String: String].self, forKey: .headers) ?? [:])
    }
}

extension JSONEventLine {
    /// The encoder of the JSON form: keys sorted, slashes not escaped, one line.
    public static func makeEncoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }

    /// The line as JSON text (one line, no trailing newline).
    public func jsonText(using encoder: JSONEncoder = makeEncoder()) throws -> String {
        String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Parses one line of JSON text.
    /// - Throws: ``EventFormatError/Code/malformedJSON`` naming the field at fault, never its value.
    public static func parse(_ text: String, using decoder: JSONDecoder = JSONDecoder()) throws(EventFormatError) -> JSONEventLine {
        do {
            return try decoder.decode(JSONEventLine.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw EventFormatError(.malformedJSON, Self.describe(error))
        } catch {
            throw EventFormatError(.malformedJSON, "not valid JSON")
        }
    }

    /// A description of a decoding error that names the path and the problem but never the value.
    static func describe(_ error: DecodingError) -> String {
        func path(_ p: [any CodingKey]) -> String {
            p.isEmpty ? "the line" : p.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let ctx): return "\(path(ctx.codingPath + [key])): missing"
        case .valueNotFound(_, let ctx): return "\(path(ctx.codingPath)): null where a value is required"
        case .typeMismatch(let type, let ctx): return "\(path(ctx.codingPath)): expected \(type)"
        case .dataCorrupted(let ctx):
            return ctx.codingPath.isEmpty ? "not valid JSON" : "\(path(ctx.codingPath)): \(ctx.debugDescription)"
        @unknown default: return "undecodable"
        }
    }
}
