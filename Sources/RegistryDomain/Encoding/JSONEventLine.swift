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
/// - `effective` is ISO 8601 with microseconds in UTC (``ISOTimestamp``); a date alone (`2024-03-01`) means
///   midnight China Standard Time.
/// - A line is read strictly (``parse(bytes:using:)``): RFC 8259 only, no duplicate keys, valid UTF-8; a line the
///   store would refuse (``checkStoreLimits(_:)``) is rejected when parsed, with its own code.
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
    /// - Throws: ``EventFormatError/Code/wrongStream``, ``EventFormatError/Code/invalidStream`` or
    ///   ``EventFormatError/Code/nonCanonicalStream``.
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

    /// A UUID field in its one textual form: 36 characters, hex digits with dashes at 8, 13, 18 and 23 (Foundation's
    /// `UUID(uuidString:)` on Linux also takes a space for a digit, so the id stored would differ from the text).
    /// Nil when an optional key is absent; `id` is required (decoded with `decode`, which throws when it is missing).
    static func strictUUID(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> UUID? {
        let text: String
        if key == .id { text = try c.decode(String.self, forKey: key) }
        else if let present = try c.decodeIfPresent(String.self, forKey: key) { text = present }
        else { return nil }
        guard let uuid = parseUUID(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "not a UUID")
        }
        return uuid
    }

    /// The UUID of a text in the one form: 36 characters, hex digits (either case) with dashes at 8, 13, 18 and 23.
    static func parseUUID(_ text: String) -> UUID? {
        var text = text
        return text.withUTF8 { b -> UUID? in
            guard b.count == 36 else { return nil }
            var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            let ok = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
                var i = 0, k = 0
                func nibble(_ c: UInt8) -> UInt8? {
                    switch c {
                    case 0x30...0x39: c - 0x30
                    case 0x41...0x46: c - 0x41 + 10
                    case 0x61...0x66: c - 0x61 + 10
                    default: nil
                    }
                }
                while i < 36 {
                    if i == 8 || i == 13 || i == 18 || i == 23 {
                        guard b[i] == 0x2D else { return false }
                        i += 1
                        continue
                    }
                    guard let hi = nibble(b[i]), let lo = nibble(b[i + 1]) else { return false }
                    out[k] = hi << 4 | lo
                    k += 1
                    i += 2
                }
                return true
            }
            return ok ? UUID(uuid: bytes) : nil
        }
    }

    /// Decodes the documented form, checking every identifier in `data`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try Self.strictUUID(c, .id)!
        do {
            stream = try StreamID(try c.decode(String.self, forKey: .stream))
        } catch let error as EventLogError {
            throw FieldProblem.at(c.codingPath + [CodingKeys.stream], .invalidStream, error.message)
        }
        let typeName = try c.decode(String.self, forKey: .type)
        guard let type = RegistryEventType(rawValue: typeName) else {
            throw FieldProblem.at(c.codingPath + [CodingKeys.type], .unknownType, "not a registry event type (docs/JSON-FORM.md lists them)")
        }
        let version = try c.decode(UInt16.self, forKey: .version)
        if version == type.currentVersion {
            event = .current(try RegistryEvent.decodeData(type, from: c, forKey: .data))
        } else if type == .personEnrolled, version == 1 {
            event = .personEnrolledV1(try c.decode(PersonEnrolledV1.self, forKey: .data))
        } else {
            throw FieldProblem.at(c.codingPath + [CodingKeys.version], .unsupportedVersion, "\(type.rawValue) has no such schema version in this build")
        }
        effective = try c.decode(ISOTimestamp.self, forKey: .effective).timestamp
        recorded = try c.decodeIfPresent(ISOTimestamp.self, forKey: .recorded)?.timestamp
        position = try c.decodeIfPresent(LogPosition.self, forKey: .position)
        metadata = EventMetadata(
            correlationID: try Self.strictUUID(c, .correlation),
            causationID: try Self.strictUUID(c, .causation),
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
    /// - Throws: ``EventFormatError`` as ``parse(bytes:using:)``.
    public static func parse(_ text: String, using decoder: JSONDecoder = JSONDecoder()) throws(EventFormatError) -> JSONEventLine {
        try parse(bytes: Array(text.utf8), using: decoder)
    }

    /// Parses one line strictly: the bytes are checked by `StrictJSON` (RFC 8259, UTF-8, no duplicate keys)
    /// before they are decoded, so the line has one meaning whatever tool reads it.
    /// - Throws: ``EventFormatError`` with the code of the fault (docs/REJECTIONS.md), naming the field at fault
    ///   and never its value.
    public static func parse(bytes: [UInt8], using decoder: JSONDecoder = JSONDecoder()) throws(EventFormatError) -> JSONEventLine {
        try StrictJSON.check(bytes)
        do {
            return try decoder.decode(JSONEventLine.self, from: Data(bytes))
        } catch let error as DecodingError {
            // The shape of the line (read again, only now) tells what stands at the error's path.
            throw Self.describe(error, shape: (try? StrictJSON.read(bytes)) ?? .null)
        } catch let error as EventFormatError {
            throw error
        } catch {
            throw EventFormatError(.malformedJSON, "the line cannot be decoded")
        }
    }

    /// Checks the limits the store enforces at append time (`RecordFormat/validate(_:)`), so that a line the
    /// store would refuse is rejected when it is parsed, with its own code, and takes no later line with it.
    /// - Parameter proposed: the line's ``proposed`` event (its payload encoded once).
    /// - Throws: ``EventFormatError/Code/exceedsStoreLimit`` naming the field, or
    ///   ``EventFormatError/Code/invalidEvent`` for anything else the store's check refuses.
    public func checkStoreLimits(_ proposed: ProposedEvent) throws(EventFormatError) {
        let m = proposed.metadata
        if m.actor.utf8.count > EventMetadata.maximumActorLength {
            throw EventFormatError(.exceedsStoreLimit, "actor: longer than \(EventMetadata.maximumActorLength) bytes")
        }
        if m.headers.count > EventMetadata.maximumHeaderCount {
            throw EventFormatError(.exceedsStoreLimit, "headers: more than \(EventMetadata.maximumHeaderCount) headers")
        }
        for (k, v) in m.headers where k.isEmpty || k.utf8.count > EventMetadata.maximumHeaderLength || v.utf8.count > EventMetadata.maximumHeaderLength {
            throw EventFormatError(.exceedsStoreLimit, "headers: a key must be 1 to 65,535 bytes and a value at most 65,535 bytes")
        }
        if proposed.payload.count > ProposedEvent.maximumPayloadSize {
            throw EventFormatError(.exceedsStoreLimit, "data: its stored form is larger than 16 MiB")
        }
        // The store's own check, the same function every store calls at append: whatever else it refuses is
        // refused here, before the line is sent.
        do {
            try RecordFormat.validate(StreamAppend(stream: stream, expected: .any, events: [proposed]))
        } catch {
            throw EventFormatError(.invalidEvent, Masking.scrubbed(error.message))
        }
    }

    /// The rejection for a decoding error: its code and the path of the field, never the value.
    static func describe(_ error: DecodingError, shape: StrictJSON.Shape) -> EventFormatError {
        func at(_ codingPath: [any CodingKey]) -> ([JSONFieldPath.Element], String) {
            let p = JSONFieldPath.elements(codingPath)
            return (p, JSONFieldPath.text(p))
        }
        switch error {
        case .keyNotFound(let key, let ctx):
            return EventFormatError(.missingField, "\(at(ctx.codingPath + [key]).1): missing")
        case .valueNotFound(_, let ctx):
            return EventFormatError(.invalidField, "\(at(ctx.codingPath).1): null where a value is required")
        case .typeMismatch(let type, let ctx):
            let (p, text) = at(ctx.codingPath)
            if case .null? = shape.value(at: p) {
                return EventFormatError(.invalidField, "\(text): null where a value is required")
            }
            return EventFormatError(.invalidField, "\(text): expected \(Self.kind(of: type))")
        case .dataCorrupted(let ctx):
            let (p, text) = at(ctx.codingPath)
            if let problem = ctx.underlyingError as? FieldProblem {
                return EventFormatError(problem.code, "\(text): \(problem.message)")
            }
            if let id = ctx.underlyingError as? IdentifierError {
                let code: EventFormatError.Code = switch id.kind {
                case .citizenID: .invalidCitizenID
                case .creditCode: .invalidCreditCode
                case .divisionCode: .invalidDivisionCode
                case .insuranceType: .invalidInsuranceType
                case .date: .invalidField
                }
                return EventFormatError(code, "\(text): \(id.code): \(id.message)")
            }
            if p.isEmpty {
                // The strict reader passed the line, so Foundation refused a number it cannot represent (it does
                // not say where): name the first number that is not a plain integer.
                if let n = shape.numbers().first(where: { !$0.text.utf8.allSatisfy { (0x30...0x39).contains($0) } || UInt64($0.text) == nil }) {
                    return EventFormatError(.invalidField, "\(JSONFieldPath.text(n.path)): a number out of the field's range")
                }
                return EventFormatError(.malformedJSON, "the line cannot be decoded")
            }
            switch shape.value(at: p) {
            case .number?:
                return EventFormatError(.invalidField, "\(text): not a whole number in the field's range")
            case .string?:
                if case .key(let k)? = p.last, ["id", "correlation", "causation"].contains(k) {
                    return EventFormatError(.invalidField, "\(text): not a UUID")
                }
                return EventFormatError(.invalidField, "\(text): not one of the field's accepted values (docs/JSON-FORM.md)")
            default:
                return EventFormatError(.invalidField, "\(text): not an accepted value")
            }
        @unknown default:
            return EventFormatError(.malformedJSON, "the line cannot be decoded")
        }
    }

    /// What a Swift type is in JSON words.
    static func kind(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is any BinaryInteger.Type: "a whole number"
        case is any FloatingPoint.Type: "a number"
        default:
            String(describing: type).hasPrefix("Array") ? "an array" : "an object or a value of another type"
        }
    }
}
