/// A strict RFC 8259 reader: the check every import line passes before it is decoded, so that a line has one
/// meaning whatever tool reads it.
///
/// Foundation's `JSONDecoder` accepts what RFC 8259 does not (it keeps the first of two equal keys, replaces invalid
/// UTF-8 with U+FFFD, and some builds accept trailing commas, comments or `NaN`). ``read(_:)`` rejects all of these:
///
/// - duplicate keys in any object (compared after unescaping, with Swift's string equality) → `duplicate-key`;
/// - bytes that are not well-formed UTF-8 (overlong forms, encoded surrogates, beyond U+10FFFF, stray
///   continuation bytes) → `invalid-utf8`;
/// - a `\u` escape that is a lone surrogate → `lone-surrogate`;
/// - anything else outside the grammar: trailing commas, comments, `NaN`/`Infinity`, leading zeros, `+1`, `.5`,
///   single quotes, unescaped control characters, unknown escapes, a byte-order mark, text after the value, a
///   value that is not an object, nesting deeper than ``maximumDepth`` → `malformed-json`;
/// - a number too large for a 64-bit float → `invalid-field` naming its field.
///
/// ``check(_:)`` is the pass every line takes: it builds nothing (keys are compared as byte ranges, strings and
/// numbers are checked, not kept) and also range-checks the integer fields (``JSONFieldPath/integerFields``).
/// ``read(_:)`` builds a small tree of the value's shape, used only after a decoding error to tell what kind of
/// value stands at its path.
///
/// - Important: Errors name a path and a byte offset, never a value; keys that are not fields of the JSON form
///   are not named either (see ``JSONFieldPath``).
enum StrictJSON {
    /// The deepest nesting of objects and arrays accepted.
    static let maximumDepth = 32

    /// The shape of a JSON value.
    indirect enum Shape: Sendable {
        case object([(key: String, value: Shape)])
        case array([Shape])
        case string
        /// A number, with its text.
        case number(String)
        case bool
        case null

        /// Every number in the value, with its path, in document order.
        func numbers(under prefix: [JSONFieldPath.Element] = []) -> [(path: [JSONFieldPath.Element], text: String)] {
            switch self {
            case .number(let text): return [(prefix, text)]
            case .object(let members): return members.flatMap { $0.value.numbers(under: prefix + [.key($0.key)]) }
            case .array(let items): return items.enumerated().flatMap { $0.element.numbers(under: prefix + [.index($0.offset)]) }
            default: return []
            }
        }

        /// The value at a path of keys and indexes, if there is one.
        func value(at path: [JSONFieldPath.Element]) -> Shape? {
            var current = self
            for element in path {
                switch (current, element) {
                case (.object(let members), .key(let k)):
                    guard let v = members.first(where: { $0.key == k })?.value else { return nil }
                    current = v
                case (.array(let items), .index(let i)):
                    guard items.indices.contains(i) else { return nil }
                    current = items[i]
                default: return nil
                }
            }
            return current
        }
    }

    /// Checks one JSON text that must be an object, and the range of its integer fields.
    /// - Throws: ``EventFormatError`` with `malformed-json`, `invalid-utf8`, `lone-surrogate`, `duplicate-key` or
    ///   `invalid-field` (a number out of range), naming the path and offset only.
    static func check(_ bytes: [UInt8]) throws(EventFormatError) {
        var reader = Reader(bytes: bytes, buildsTree: false)
        _ = try reader.document()
    }

    /// Reads one JSON text that must be an object into the shape of its value (as ``check(_:)``, and with the
    /// same errors).
    static func read(_ bytes: [UInt8]) throws(EventFormatError) -> Shape {
        var reader = Reader(bytes: bytes, buildsTree: true)
        return try reader.document()
    }

    /// A key read: its step, and whether it is written in ASCII without escapes (then compared by its bytes).
    struct Key {
        var step: Step
        var ascii: Bool
    }

    /// A key on the path being read: a range of the line's bytes when written without escapes, else its value.
    enum Step {
        case raw(Range<Int>)
        case decoded(String)
        case index(Int)
    }

    struct Reader {
        let bytes: [UInt8]
        let buildsTree: Bool
        var i = 0
        var path: [Step] = []

        init(bytes: [UInt8], buildsTree: Bool) {
            self.bytes = bytes
            self.buildsTree = buildsTree
            path.reserveCapacity(8)
        }

        /// The path read so far, as error messages name it.
        var pathText: String {
            JSONFieldPath.text(path.map { step in
                switch step {
                case .raw(let r): .key(String(decoding: bytes[r], as: UTF8.self))
                case .decoded(let k): .key(k)
                case .index(let n): .index(n)
                }
            })
        }

        func fail(_ code: EventFormatError.Code, _ what: String) -> EventFormatError {
            // A byte that is not UTF-8 where JSON expected structure is reported as what it is.
            if code == .malformedJSON, i < bytes.count, bytes[i] >= 0x80, !validSequence(at: i) {
                return EventFormatError(.invalidUTF8, "\(pathText): the line is not valid UTF-8 (byte \(i + 1))")
            }
            return EventFormatError(code, "\(pathText): \(what) (byte \(i + 1))")
        }

        /// The bytes of a key.
        func keyBytes(_ step: Step) -> [UInt8] {
            switch step {
            case .raw(let r): Array(bytes[r])
            case .decoded(let k): Array(k.utf8)
            case .index: []
            }
        }

        /// Whether two keys are the same key: byte equality for keys written in ASCII without escapes, Swift's
        /// string equality (canonical equivalence, as a `String`-keyed dictionary sees them) otherwise.
        func sameKey(_ a: Key, _ b: Key) -> Bool {
            if a.ascii, b.ascii, case .raw(let x) = a.step, case .raw(let y) = b.step {
                guard x.count == y.count else { return false }
                var p = x.lowerBound, q = y.lowerBound
                while p < x.upperBound { if bytes[p] != bytes[q] { return false }; p += 1; q += 1 }
                return true
            }
            return keyString(a.step) == keyString(b.step)
        }

        /// The length in bytes of a key step (0 for an index).
        func keyLength(_ step: Step) -> Int {
            switch step {
            case .raw(let r): r.count
            case .decoded(let k): k.utf8.count
            case .index: 0
            }
        }

        func keyString(_ step: Step) -> String {
            switch step {
            case .raw(let r): String(decoding: bytes[r], as: UTF8.self)
            case .decoded(let k): k
            case .index: ""
            }
        }

        /// Whether a well-formed UTF-8 sequence starts at `at` (RFC 3629).
        func validSequence(at: Int) -> Bool {
            bytes.withUnsafeBufferPointer { UTF8Sequence.length($0.baseAddress!, at: at, count: $0.count) != nil }
        }

        mutating func document() throws(EventFormatError) -> Shape {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
                throw fail(.malformedJSON, "the line starts with a byte-order mark")
            }
            skipSpace()
            guard i < bytes.count else { throw fail(.malformedJSON, "the line holds no JSON value") }
            guard bytes[i] == UInt8(ascii: "{") else { throw fail(.malformedJSON, "a line must be one JSON object") }
            let value = try self.value(depth: 0)
            skipSpace()
            guard i == bytes.count else { throw fail(.malformedJSON, "text after the JSON object") }
            return value
        }

        mutating func skipSpace() {
            while i < bytes.count {
                switch bytes[i] {
                case 0x20, 0x09, 0x0A, 0x0D: i += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws(EventFormatError) -> Shape {
            guard i < bytes.count else { throw fail(.malformedJSON, "the text ends inside a value") }
            switch bytes[i] {
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "\""):
                _ = try string(keeping: false)
                return .string
            case UInt8(ascii: "t"): try literal("true"); return .bool
            case UInt8(ascii: "f"): try literal("false"); return .bool
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let text = try number()
                return .number(buildsTree ? text : "")
            case UInt8(ascii: "/"): throw fail(.malformedJSON, "comments are not JSON")
            case UInt8(ascii: "'"): throw fail(.malformedJSON, "strings are in double quotes")
            case UInt8(ascii: "N"), UInt8(ascii: "I"), UInt8(ascii: "+"), UInt8(ascii: "."):
                throw fail(.malformedJSON, "not a JSON number (NaN, Infinity, a leading + or . are not JSON)")
            default: throw fail(.malformedJSON, "not a JSON value")
            }
        }

        mutating func literal(_ word: StaticString) throws(EventFormatError) {
            let n = word.utf8CodeUnitCount
            guard i + n <= bytes.count,
                  bytes[i..<(i + n)].elementsEqual(UnsafeBufferPointer(start: word.utf8Start, count: n))
            else { throw fail(.malformedJSON, "not a JSON value") }
            i += n
        }

        mutating func object(depth: Int) throws(EventFormatError) -> Shape {
            guard depth <= StrictJSON.maximumDepth else {
                throw fail(.malformedJSON, "nested deeper than \(StrictJSON.maximumDepth) levels")
            }
            i += 1  // {
            var members: [(key: String, value: Shape)] = []
            var keys: [Key] = []
            var seen: Set<String> = []  // past 16 keys
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            while true {
                skipSpace()
                guard i < bytes.count else { throw fail(.malformedJSON, "the text ends inside an object") }
                if bytes[i] == UInt8(ascii: "}") { throw fail(.malformedJSON, "a trailing comma before }") }
                guard bytes[i] == UInt8(ascii: "\"") else {
                    throw fail(.malformedJSON, bytes[i] == UInt8(ascii: "/") ? "comments are not JSON" : "an object key must be a string in double quotes")
                }
                let key = try string(keeping: true)
                path.append(key.step)
                let duplicate: Bool
                if keys.count < 16 {
                    var found = false
                    for earlier in keys where sameKey(earlier, key) { found = true; break }
                    duplicate = found
                    keys.append(key)
                    if keys.count == 16 { seen = Set(keys.map { keyString($0.step) }) }
                } else {
                    duplicate = !seen.insert(keyString(key.step)).inserted
                }
                guard !duplicate else {
                    throw fail(.duplicateKey, "the key appears twice in one object (tools disagree on which one counts)")
                }
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail(.malformedJSON, "a : must follow a key") }
                i += 1
                skipSpace()
                let v = try value(depth: depth)
                path.removeLast()
                if buildsTree { members.append((keyString(key.step), v)) }
                skipSpace()
                guard i < bytes.count else { throw fail(.malformedJSON, "the text ends inside an object") }
                switch bytes[i] {
                case UInt8(ascii: ","): i += 1
                case UInt8(ascii: "}"): i += 1; return .object(members)
                default: throw fail(.malformedJSON, "a , or } must follow a value in an object")
                }
            }
        }

        mutating func array(depth: Int) throws(EventFormatError) -> Shape {
            guard depth <= StrictJSON.maximumDepth else {
                throw fail(.malformedJSON, "nested deeper than \(StrictJSON.maximumDepth) levels")
            }
            i += 1  // [
            var items: [Shape] = []
            var count = 0
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                skipSpace()
                guard i < bytes.count else { throw fail(.malformedJSON, "the text ends inside an array") }
                if bytes[i] == UInt8(ascii: "]") { throw fail(.malformedJSON, "a trailing comma before ]") }
                path.append(.index(count))
                let v = try value(depth: depth)
                if buildsTree { items.append(v) }
                count += 1
                path.removeLast()
                skipSpace()
                guard i < bytes.count else { throw fail(.malformedJSON, "the text ends inside an array") }
                switch bytes[i] {
                case UInt8(ascii: ","): i += 1
                case UInt8(ascii: "]"): i += 1; return .array(items)
                default: throw fail(.malformedJSON, "a , or ] must follow a value in an array")
                }
            }
        }

        /// Reads a string, checking its UTF-8 and escapes; when `keeping`, returns it as a key: its byte range
        /// when it has no escape, its value otherwise.
        mutating func string(keeping: Bool) throws(EventFormatError) -> Key {
            i += 1  // opening quote
            let start = i
            var out: [UInt8] = []
            var escaped = false
            var ascii = true
            var plainFrom = i
            func hex4(_ at: Int) -> UInt32? {
                guard at + 4 <= bytes.count else { return nil }
                var v: UInt32 = 0
                for b in bytes[at..<(at + 4)] {
                    switch b {
                    case 0x30...0x39: v = v << 4 | UInt32(b - 0x30)
                    case 0x41...0x46: v = v << 4 | UInt32(b - 0x41 + 10)
                    case 0x61...0x66: v = v << 4 | UInt32(b - 0x61 + 10)
                    default: return nil
                    }
                }
                return v
            }
            while true {
                // Plain ASCII runs first, in one tight loop.
                i = bytes.withUnsafeBufferPointer { buf in
                    var j = i
                    while j < buf.count {
                        let c = buf[j]
                        if c == 0x22 || c == 0x5C || c < 0x20 || c >= 0x80 { break }
                        j += 1
                    }
                    return j
                }
                guard i < bytes.count else { throw fail(.malformedJSON, "the text ends inside a string") }
                let b = bytes[i]
                if b == UInt8(ascii: "\"") {
                    defer { i += 1 }
                    guard keeping else { return Key(step: .index(0), ascii: false) }
                    guard escaped else { return Key(step: .raw(start..<i), ascii: ascii) }
                    out.append(contentsOf: bytes[plainFrom..<i])
                    return Key(step: .decoded(String(decoding: out, as: UTF8.self)), ascii: false)
                }
                if b < 0x20 { throw fail(.malformedJSON, "a control character must be escaped in a string") }
                if b < 0x80 && b != UInt8(ascii: "\\") { i += 1; continue }
                if b == UInt8(ascii: "\\") {
                    escaped = true
                    if keeping { out.append(contentsOf: bytes[plainFrom..<i]) }
                    guard i + 1 < bytes.count else { throw fail(.malformedJSON, "the text ends inside a string") }
                    let e = bytes[i + 1]
                    var scalar: UInt32
                    switch e {
                    case UInt8(ascii: "\""): scalar = 0x22
                    case UInt8(ascii: "\\"): scalar = 0x5C
                    case UInt8(ascii: "/"): scalar = 0x2F
                    case UInt8(ascii: "b"): scalar = 0x08
                    case UInt8(ascii: "f"): scalar = 0x0C
                    case UInt8(ascii: "n"): scalar = 0x0A
                    case UInt8(ascii: "r"): scalar = 0x0D
                    case UInt8(ascii: "t"): scalar = 0x09
                    case UInt8(ascii: "u"):
                        guard let u = hex4(i + 2) else { throw fail(.malformedJSON, "a \\u escape needs four hex digits") }
                        scalar = u
                        if (0xDC00...0xDFFF).contains(u) {
                            throw fail(.loneSurrogate, "a \\u escape is a low surrogate without a high one")
                        }
                        if (0xD800...0xDBFF).contains(u) {
                            guard i + 12 <= bytes.count, bytes[i + 6] == UInt8(ascii: "\\"), bytes[i + 7] == UInt8(ascii: "u"),
                                  let low = hex4(i + 8), (0xDC00...0xDFFF).contains(low)
                            else { throw fail(.loneSurrogate, "a \\u escape is a high surrogate without a low one") }
                            scalar = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                        }
                        i += 4
                    default: throw fail(.malformedJSON, "an unknown escape in a string")
                    }
                    i += 2
                    if keeping { out.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8) }
                    plainFrom = i
                    continue
                }
                // A multi-byte UTF-8 sequence (RFC 3629, table 3-7 of the Unicode standard).
                guard validSequence(at: i) else { throw fail(.invalidUTF8, "the string is not valid UTF-8") }
                ascii = false
                i += b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
            }
        }

        mutating func number() throws(EventFormatError) -> String {
            let start = i
            if bytes[i] == UInt8(ascii: "-") { i += 1 }
            func digits(_ r: inout Int) -> Int {
                let s = r
                while r < bytes.count, (0x30...0x39).contains(bytes[r]) { r += 1 }
                return r - s
            }
            guard i < bytes.count, (0x30...0x39).contains(bytes[i]) else { throw fail(.malformedJSON, "not a JSON number") }
            if bytes[i] == UInt8(ascii: "0") {
                i += 1
                if i < bytes.count, (0x30...0x39).contains(bytes[i]) { throw fail(.malformedJSON, "a number with a leading zero") }
            } else {
                _ = digits(&i)
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                guard digits(&i) > 0 else { throw fail(.malformedJSON, "a number needs digits after its decimal point") }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                guard digits(&i) > 0 else { throw fail(.malformedJSON, "a number needs digits in its exponent") }
            }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            guard let v = Double(text), v.isFinite else {
                throw fail(.invalidField, "the number is out of range")
            }
            // An integer field of the form: a plain integer within its range (JSONDecoder reports an
            // out-of-range number without its path).
            if !path.isEmpty, path.count <= 2, JSONFieldPath.integerFieldKeyLengths.contains(keyLength(path[path.count - 1])),
               let maximum = JSONFieldPath.integerFields[pathText] {
                guard text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let n = UInt64(text), n <= maximum else {
                    throw fail(.invalidField, "not a whole number from 0 to \(maximum)")
                }
            }
            return text
        }
    }
}
