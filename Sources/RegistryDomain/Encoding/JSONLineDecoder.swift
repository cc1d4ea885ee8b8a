/// The import's fast decoder: the events' own `Codable` conformances run over a ``JSONLineIndex`` of the line's
/// bytes, without `JSONDecoder`, `Data` or a tree of boxed values.
///
/// It decodes what `JSONDecoder` decodes, to the same values, for the lines the index accepts (strings with the
/// two-character escapes, plain non-negative integers, booleans, null, objects and arrays). It reports no error of
/// its own: any failure (a missing key, a wrong type, an identifier that does not check) makes the caller read the
/// line again by the full path, which names the fault exactly as before. So its coding paths are left empty.
final class JSONLineDecoder: Decoder {
    /// The line's bytes (valid while ``decode(_:bytes:)`` runs).
    var p: UnsafePointer<UInt8>
    /// The index of the line.
    var index: JSONLineIndex
    /// The node being decoded.
    var current: Int = 0

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// Any failure of the fast path (the line is then read by the full path).
    struct Failure: Error {}

    init() {
        p = UnsafePointer(bitPattern: 1)!
        index = JSONLineIndex()
    }

    /// Decodes a line, or returns nil when the line must take the full path.
    func decode<T: Decodable>(_ type: T.Type, bytes: UnsafeBufferPointer<UInt8>) -> T? {
        guard let base = bytes.baseAddress, index.build(bytes) else { return nil }
        p = base
        current = 0
        return try? T(from: self)
    }

    /// Decodes a line's envelope directly (what `JSONEventLine.init(from:)` does, field for field, without a
    /// keyed container per field), and its `data` through the event's own `Decodable` conformance.
    func eventLine(bytes: UnsafeBufferPointer<UInt8>) -> JSONEventLine? {
        guard let base = bytes.baseAddress, index.build(bytes) else { return nil }
        p = base
        current = 0
        return try? envelope()
    }

    /// The envelope's members, matched in one pass over the top-level object (unknown keys are ignored, as
    /// `JSONDecoder` ignores them).
    func envelope() throws -> JSONEventLine {
        var idAt = -1, streamAt = -1, typeAt = -1, versionAt = -1, effectiveAt = -1, recordedAt = -1, positionAt = -1
        var correlationAt = -1, causationAt = -1, actorAt = -1, headersAt = -1, dataAt = -1
        try forEachMember(0) { k, v in
            switch Int(k.end - k.start) {
            case 2: if key(k, is: "id") { idAt = v }
            case 4: if key(k, is: "type") { typeAt = v } else if key(k, is: "data") { dataAt = v }
            case 5: if key(k, is: "actor") { actorAt = v }
            case 6: if key(k, is: "stream") { streamAt = v }
            case 7: if key(k, is: "version") { versionAt = v } else if key(k, is: "headers") { headersAt = v }
            case 8: if key(k, is: "recorded") { recordedAt = v } else if key(k, is: "position") { positionAt = v }
            case 9: if key(k, is: "effective") { effectiveAt = v } else if key(k, is: "causation") { causationAt = v }
            case 11: if key(k, is: "correlation") { correlationAt = v }
            default: break
            }
        }
        func time(_ v: Int) throws -> Timestamp {
            guard let t = ISOTimestamp(parsing: try string(v)) else { throw Failure() }
            return t.timestamp
        }
        let id = try uuidValue(try required(idAt))
        let stream = try StreamID(try string(try required(streamAt)))
        guard let type = RegistryEventType(rawValue: try string(try required(typeAt))) else { throw Failure() }
        let version = UInt16(try unsigned(try required(versionAt), maximum: UInt64(UInt16.max)))
        let event: StoredRegistryEvent
        if version == type.currentVersion {
            if let known = try handWrittenData(type, at: try required(dataAt)) {
                event = .current(known)
            } else {
                let c = KeyedDecodingContainer(Keyed<JSONEventLine.CodingKeys>(decoder: self, object: 0))
                event = .current(try RegistryEvent.decodeData(type, from: c, forKey: .data))
            }
        } else if type == .personEnrolled, version == 1 {
            event = .personEnrolledV1(try value(PersonEnrolledV1.self, at: try required(dataAt)))
        } else {
            throw Failure()
        }
        let effective = try time(try required(effectiveAt))
        var recorded: Timestamp?, position: UInt64?, correlation: UUID?, causation: UUID?
        if let v = present(recordedAt) { recorded = try time(v) }
        if let v = present(positionAt) { position = try unsigned(v, maximum: .max) }
        if let v = present(correlationAt) { correlation = try uuidValue(v) }
        if let v = present(causationAt) { causation = try uuidValue(v) }
        var actor = "", headers: [String: String] = [:]
        if let v = present(actorAt) { actor = try string(v) }
        if let v = present(headersAt) { headers = try stringDictionary(v) }
        return JSONEventLine(
            id: id, stream: stream, event: event, effective: effective, recorded: recorded, position: position,
            metadata: EventMetadata(correlationID: correlation, causationID: causation, actor: actor, headers: headers))
    }

    // MARK: - Nodes

    @inline(__always) func node(_ i: Int) -> JSONLineIndex.Node { index.nodes[i] }

    /// The value node under `key` in the object at `object`, or nil.
    func member(_ object: Int, _ key: String) -> Int? {
        let o = node(object)
        guard o.kind == .object else { return nil }
        var key = key
        return key.withUTF8 { k -> Int? in
            var m = object + 1
            for _ in 0..<Int(o.count) {
                let kn = index.nodes[m]
                if Int(kn.end - kn.start) == k.count, memcmp(p + Int(kn.start), k.baseAddress!, k.count) == 0 { return m + 1 }
                m = Int(index.nodes[m + 1].next)
            }
            return nil
        }
    }

    /// The string at a node (unescaped), or a failure.
    func string(_ i: Int) throws -> String {
        let s = node(i)
        guard s.kind == .string else { throw Failure() }
        let raw = UnsafeBufferPointer(start: p + Int(s.start), count: Int(s.end - s.start))
        guard s.flag else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var k = 0
        while k < raw.count {
            let c = raw[k]
            if c == 0x5C {
                let e = raw[k + 1]
                switch e {
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                default: out.append(e)  // " \ /
                }
                k += 2
            } else {
                out.append(c)
                k += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The unsigned integer at a node, at most `maximum`, or a failure.
    func unsigned(_ i: Int, maximum: UInt64) throws -> UInt64 {
        let s = node(i)
        guard s.kind == .number else { throw Failure() }
        var v: UInt64 = 0
        for k in Int(s.start)..<Int(s.end) {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(p[k] - 0x30))
            guard !o1, !o2 else { throw Failure() }
            v = a
        }
        guard v <= maximum else { throw Failure() }
        return v
    }

    /// An object of strings as a dictionary: what `Dictionary<String, String>`'s own `Decodable` conformance
    /// makes of it (every key, each with its string), without its generic containers.
    func stringDictionary(_ i: Int) throws -> [String: String] {
        let o = node(i)
        guard o.kind == .object else { throw Failure() }
        var out: [String: String] = [:]
        out.reserveCapacity(Int(o.count))
        var m = i + 1
        for _ in 0..<Int(o.count) {
            let k = node(m)
            let key = String(decoding: UnsafeBufferPointer(start: p + Int(k.start), count: Int(k.end - k.start)), as: UTF8.self)
            out[key] = try string(m + 1)
            m = Int(node(m + 1).next)
        }
        return out
    }

    func bool(_ i: Int) throws -> Bool {
        let s = node(i)
        guard s.kind == .bool else { throw Failure() }
        return s.flag
    }

    func isNull(_ i: Int) -> Bool { node(i).kind == .null }

    /// Decodes a value of any type at a node.
    func value<T: Decodable>(_ type: T.Type, at i: Int) throws -> T {
        if T.self == String.self { return try string(i) as! T }
        if T.self == [String: String].self { return try stringDictionary(i) as! T }
        // The types `JSONDecoder` reads by strategies of its own take the full path.
        if T.self == Data.self || T.self == URL.self || T.self == Date.self || T.self == Decimal.self { throw Failure() }
        let saved = current
        current = i
        defer { current = saved }
        return try T(from: self)
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type, at i: Int) throws -> T {
        let v = try unsigned(i, maximum: UInt64(clamping: T.max))
        return T(v)
    }

    // MARK: - Decoder

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard node(current).kind == .object else { throw Failure() }
        return KeyedDecodingContainer(Keyed<Key>(decoder: self, object: current))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let a = node(current)
        guard a.kind == .array else { throw Failure() }
        return Unkeyed(decoder: self, count: Int(a.count), next: current + 1)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        Single(decoder: self, node: current)
    }

    // MARK: - Containers

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let decoder: JSONLineDecoder
        let object: Int

        var codingPath: [any CodingKey] { [] }

        var allKeys: [Key] {
            let o = decoder.node(object)
            var keys: [Key] = []
            var m = object + 1
            for _ in 0..<Int(o.count) {
                let kn = decoder.node(m)
                let text = String(decoding: UnsafeBufferPointer(start: decoder.p + Int(kn.start), count: Int(kn.end - kn.start)), as: UTF8.self)
                if let key = Key(stringValue: text) { keys.append(key) }
                m = Int(decoder.node(m + 1).next)
            }
            return keys
        }

        func contains(_ key: Key) -> Bool { decoder.member(object, key.stringValue) != nil }

        func at(_ key: Key) throws -> Int {
            guard let v = decoder.member(object, key.stringValue) else { throw Failure() }
            return v
        }

        func decodeNil(forKey key: Key) throws -> Bool { decoder.isNull(try at(key)) }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decoder.bool(try at(key)) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try decoder.string(try at(key)) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { Double(try decoder.unsigned(try at(key), maximum: .max)) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { throw Failure() }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decoder.integer(type, at: try at(key)) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decoder.integer(type, at: try at(key)) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decoder.integer(type, at: try at(key)) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decoder.integer(type, at: try at(key)) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decoder.integer(type, at: try at(key)) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decoder.integer(type, at: try at(key)) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decoder.integer(type, at: try at(key)) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decoder.integer(type, at: try at(key)) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decoder.integer(type, at: try at(key)) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decoder.integer(type, at: try at(key)) }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decoder.value(type, at: try at(key)) }

        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
            guard let v = decoder.member(object, key.stringValue), !decoder.isNull(v) else { return nil }
            return try decoder.string(v)
        }
        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
            guard let v = decoder.member(object, key.stringValue), !decoder.isNull(v) else { return nil }
            return try decoder.bool(v)
        }
        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            guard let v = decoder.member(object, key.stringValue), !decoder.isNull(v) else { return nil }
            return try decoder.value(type, at: v)
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            let v = try at(key)
            guard decoder.node(v).kind == .object else { throw Failure() }
            return KeyedDecodingContainer(Keyed<NestedKey>(decoder: decoder, object: v))
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            let v = try at(key)
            let a = decoder.node(v)
            guard a.kind == .array else { throw Failure() }
            return Unkeyed(decoder: decoder, count: Int(a.count), next: v + 1)
        }

        func superDecoder() throws -> any Decoder { throw Failure() }
        func superDecoder(forKey key: Key) throws -> any Decoder { throw Failure() }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let decoder: JSONLineDecoder
        let total: Int
        var currentIndex = 0
        var next: Int

        init(decoder: JSONLineDecoder, count: Int, next: Int) {
            self.decoder = decoder
            self.total = count
            self.next = next
        }

        var codingPath: [any CodingKey] { [] }
        var count: Int? { total }
        var isAtEnd: Bool { currentIndex >= total }

        mutating func take() throws -> Int {
            guard !isAtEnd else { throw Failure() }
            let v = next
            next = Int(decoder.node(v).next)
            currentIndex += 1
            return v
        }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd else { throw Failure() }
            if decoder.isNull(next) { _ = try take(); return true }
            return false
        }

        mutating func decode(_ type: Bool.Type) throws -> Bool { try decoder.bool(try take()) }
        mutating func decode(_ type: String.Type) throws -> String { try decoder.string(try take()) }
        mutating func decode(_ type: Double.Type) throws -> Double { Double(try decoder.unsigned(try take(), maximum: .max)) }
        mutating func decode(_ type: Float.Type) throws -> Float { throw Failure() }
        mutating func decode(_ type: Int.Type) throws -> Int { try decoder.integer(type, at: try take()) }
        mutating func decode(_ type: Int8.Type) throws -> Int8 { try decoder.integer(type, at: try take()) }
        mutating func decode(_ type: Int16.Type) throws -> Int16 { try decoder.integer(type, at: try take()) }
        mutating func decode(_ type: Int32.Type) throws -> Int32 { try decoder.integer(type, at: try take()) }
        mutating func decode(_ type: Int64.Type) throws -> Int64 { try decoder.integer(type, at: try take()) }
        mutating func decode(_ type: UInt.Type) throws -> UInt { try decoder.integer(type, at: try take()) }
        mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.integer(type, at: try take()) }
        mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.integer(type, at: try take()) }
        mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.integer(type, at: try take()) }
        mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.integer(type, at: try take()) }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.value(type, at: try take()) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            let v = try take()
            guard decoder.node(v).kind == .object else { throw Failure() }
            return KeyedDecodingContainer(Keyed<NestedKey>(decoder: decoder, object: v))
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            let v = try take()
            let a = decoder.node(v)
            guard a.kind == .array else { throw Failure() }
            return Unkeyed(decoder: decoder, count: Int(a.count), next: v + 1)
        }

        mutating func superDecoder() throws -> any Decoder { throw Failure() }
    }

    struct Single: SingleValueDecodingContainer {
        let decoder: JSONLineDecoder
        let node: Int

        var codingPath: [any CodingKey] { [] }

        func decodeNil() -> Bool { decoder.isNull(node) }
        func decode(_ type: Bool.Type) throws -> Bool { try decoder.bool(node) }
        func decode(_ type: String.Type) throws -> String { try decoder.string(node) }
        func decode(_ type: Double.Type) throws -> Double { Double(try decoder.unsigned(node, maximum: .max)) }
        func decode(_ type: Float.Type) throws -> Float { throw Failure() }
        func decode(_ type: Int.Type) throws -> Int { try decoder.integer(type, at: node) }
        func decode(_ type: Int8.Type) throws -> Int8 { try decoder.integer(type, at: node) }
        func decode(_ type: Int16.Type) throws -> Int16 { try decoder.integer(type, at: node) }
        func decode(_ type: Int32.Type) throws -> Int32 { try decoder.integer(type, at: node) }
        func decode(_ type: Int64.Type) throws -> Int64 { try decoder.integer(type, at: node) }
        func decode(_ type: UInt.Type) throws -> UInt { try decoder.integer(type, at: node) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.integer(type, at: node) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.integer(type, at: node) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.integer(type, at: node) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.integer(type, at: node) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.value(type, at: node) }
    }
}

import EventLog
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
