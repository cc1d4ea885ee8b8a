/// A one-pass index of a JSON line: every value's kind and byte range, built by a strict scanner that accepts only
/// lines the full strict reader (`StrictJSON`) accepts, so that the import's fast path decodes straight from the
/// line's bytes (``JSONLineDecoder``) without `JSONDecoder`.
///
/// The scanner is deliberately narrower than RFC 8259: it gives up (``build(_:into:)`` returns false) on anything
/// it does not need to read quickly — a `\u` escape, a number that is not a plain non-negative integer of at most
/// 19 digits, a key that is not printable ASCII, more than 32 keys in one object, nesting past 16 levels — and on
/// every fault. A line it gives up on is read by the full path (`StrictJSON` then `JSONDecoder`), which accepts or
/// rejects it with the documented code and message; so the fast path changes no outcome, only the time taken.
/// What it accepts, the strict reader accepts too: the same grammar, well-formed UTF-8 (RFC 3629, the same table),
/// no key twice in an object (ASCII keys compared by their bytes, as the strict reader does), and the integer
/// fields (``JSONFieldPath/integerFields``) within their ranges.
struct JSONLineIndex {
    /// What a node is.
    enum Kind: UInt8 {
        case object, array, string, number, bool, null, key
    }

    /// One value (or object key) of the line.
    struct Node {
        /// The kind.
        var kind: Kind
        /// For a string or key: whether it holds an escape; for a bool: its value.
        var flag: Bool
        /// The bytes: a string's or key's content (without quotes), a number's digits, a literal.
        var start: Int32
        var end: Int32
        /// For an object: its members (key and value); for an array: its items.
        var count: Int32
        /// The index of the node after this value and everything inside it.
        var next: Int32
    }

    /// The nodes in document order: an object's members follow it as key, value, key, value…
    var nodes: [Node] = []

    init() { nodes.reserveCapacity(64) }

    /// Indexes one line; false when the line must take the full path (any fault, or anything outside the subset).
    mutating func build(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        nodes.removeAll(keepingCapacity: true)
        guard let base = bytes.baseAddress else { return false }
        var scanner = Scanner(p: base, n: bytes.count)
        scanner.skipSpace()
        guard scanner.i < scanner.n, base[scanner.i] == UInt8(ascii: "{") else { return false }
        guard scanner.value(depth: 0, parentKey: nil, grandparentIsTop: false, into: &nodes) else { return false }
        scanner.skipSpace()
        return scanner.i == scanner.n
    }

    struct Scanner {
        let p: UnsafePointer<UInt8>
        let n: Int
        var i = 0

        @inline(__always) mutating func skipSpace() {
            while i < n {
                switch p[i] {
                case 0x20, 0x09, 0x0A, 0x0D: i += 1
                default: return
                }
            }
        }

        /// Reads a value; `parentKey` is the range of the key it stands under (nil in an array or at the top),
        /// `depth` the nesting of the object or array holding it (0 at the top: the line's object itself).
        mutating func value(depth: Int, parentKey: Range<Int>?, grandparentIsTop: Bool, into nodes: inout [Node]) -> Bool {
            guard i < n else { return false }
            switch p[i] {
            case UInt8(ascii: "{"): return object(depth: depth + 1, ownKey: parentKey, isTop: depth == 0, into: &nodes)
            case UInt8(ascii: "["): return array(depth: depth + 1, into: &nodes)
            case UInt8(ascii: "\""):
                let at = nodes.count
                nodes.append(Node(kind: .string, flag: false, start: 0, end: 0, count: 0, next: 0))
                guard let (range, escaped) = string(keyOnly: false) else { return false }
                nodes[at].start = Int32(range.lowerBound)
                nodes[at].end = Int32(range.upperBound)
                nodes[at].flag = escaped
                nodes[at].next = Int32(nodes.count)
                return true
            case UInt8(ascii: "t"): return literal("true", .bool, true, into: &nodes)
            case UInt8(ascii: "f"): return literal("false", .bool, false, into: &nodes)
            case UInt8(ascii: "n"): return literal("null", .null, false, into: &nodes)
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = i
                if p[i] == UInt8(ascii: "0") {
                    i += 1
                } else {
                    while i < n, p[i] >= 0x30, p[i] <= 0x39 { i += 1 }
                }
                // Fractions, exponents, leading zeros and long numbers take the full path.
                if i < n, p[i] == UInt8(ascii: ".") || p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E") || (p[i] >= 0x30 && p[i] <= 0x39) {
                    return false
                }
                guard i - start <= 19 else { return false }
                if let parentKey, !checkIntegerField(key: parentKey, depth: depth, grandparentIsTop: grandparentIsTop, digits: start..<i) {
                    return false
                }
                nodes.append(Node(kind: .number, flag: false, start: Int32(start), end: Int32(i), count: 0, next: Int32(nodes.count + 1)))
                return true
            default:
                return false
            }
        }

        /// The integer fields' ranges (``JSONFieldPath/integerFields``): a number directly under a top-level key, or
        /// under a key of the top-level `data` object, is checked when its path is one of them.
        func checkIntegerField(key: Range<Int>, depth: Int, grandparentIsTop: Bool, digits: Range<Int>) -> Bool {
            guard depth == 1 || (depth == 2 && grandparentIsTop) else { return true }
            let keyBytes = UnsafeBufferPointer(start: p + key.lowerBound, count: key.count)
            var path = depth == 1 ? "" : "data."
            path += String(decoding: keyBytes, as: UTF8.self)
            guard let maximum = JSONFieldPath.integerFields[path] else { return true }
            var v: UInt64 = 0
            for k in digits {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(UInt64(p[k] - 0x30))
                if o1 || o2 { return false }
                v = s
            }
            return v <= maximum
        }

        mutating func literal(_ word: StaticString, _ kind: Kind, _ flag: Bool, into nodes: inout [Node]) -> Bool {
            let w = word.utf8CodeUnitCount
            guard i + w <= n, memcmp(p + i, word.utf8Start, w) == 0 else { return false }
            nodes.append(Node(kind: kind, flag: flag, start: Int32(i), end: Int32(i + w), count: 0, next: Int32(nodes.count + 1)))
            i += w
            return true
        }

        /// Reads an object. `ownKey` is the key it stands under, used to tell whether it is the top-level `data`.
        mutating func object(depth: Int, ownKey: Range<Int>?, isTop: Bool, into nodes: inout [Node]) -> Bool {
            guard depth <= 16 else { return false }
            let at = nodes.count
            nodes.append(Node(kind: .object, flag: false, start: Int32(i), end: 0, count: 0, next: 0))
            i += 1
            // Whether this object is the line's `data`: its number fields are checked as `data.<key>`.
            let isData = depth == 2 && ownKey.map { k in k.count == 4 && memcmp(p + k.lowerBound, "data", 4) == 0 } == true
            var count: Int32 = 0
            skipSpace()
            if i < n, p[i] == UInt8(ascii: "}") {
                i += 1
                nodes[at].end = Int32(i)
                nodes[at].next = Int32(nodes.count)
                return true
            }
            while true {
                skipSpace()
                guard i < n, p[i] == UInt8(ascii: "\"") else { return false }
                guard let (key, _) = string(keyOnly: true) else { return false }
                // No key twice: compared with every earlier key of this object (at most 32, by their bytes).
                guard count < 32 else { return false }
                var m = at + 1
                for _ in 0..<Int(count) {
                    let k = nodes[m]
                    if Int(k.end - k.start) == key.count, memcmp(p + Int(k.start), p + key.lowerBound, key.count) == 0 { return false }
                    m = Int(nodes[m + 1].next)
                }
                nodes.append(Node(kind: .key, flag: false, start: Int32(key.lowerBound), end: Int32(key.upperBound), count: 0, next: Int32(nodes.count + 1)))
                skipSpace()
                guard i < n, p[i] == UInt8(ascii: ":") else { return false }
                i += 1
                skipSpace()
                // Numbers are range-checked under a top-level key (depth 1) or a key of `data` (depth 2).
                let checkedKey: Range<Int>? = (isTop || isData) ? key : nil
                guard value(depth: depth, parentKey: checkedKey, grandparentIsTop: isData, into: &nodes) else { return false }
                count += 1
                skipSpace()
                guard i < n else { return false }
                if p[i] == UInt8(ascii: ",") { i += 1; continue }
                guard p[i] == UInt8(ascii: "}") else { return false }
                i += 1
                nodes[at].end = Int32(i)
                nodes[at].count = count
                nodes[at].next = Int32(nodes.count)
                return true
            }
        }

        mutating func array(depth: Int, into nodes: inout [Node]) -> Bool {
            guard depth <= 16 else { return false }
            let at = nodes.count
            nodes.append(Node(kind: .array, flag: false, start: Int32(i), end: 0, count: 0, next: 0))
            i += 1
            var count: Int32 = 0
            skipSpace()
            if i < n, p[i] == UInt8(ascii: "]") {
                i += 1
                nodes[at].end = Int32(i)
                nodes[at].next = Int32(nodes.count)
                return true
            }
            while true {
                skipSpace()
                guard value(depth: depth, parentKey: nil, grandparentIsTop: false, into: &nodes) else { return false }
                count += 1
                skipSpace()
                guard i < n else { return false }
                if p[i] == UInt8(ascii: ",") { i += 1; continue }
                guard p[i] == UInt8(ascii: "]") else { return false }
                i += 1
                nodes[at].end = Int32(i)
                nodes[at].count = count
                nodes[at].next = Int32(nodes.count)
                return true
            }
        }

        /// Reads a string at its opening quote: its content's range and whether it holds an escape. A key must be
        /// printable ASCII without escapes; a value may hold well-formed UTF-8 and the two-character escapes.
        mutating func string(keyOnly: Bool) -> (Range<Int>, Bool)? {
            i += 1
            let start = i
            var escaped = false
            while i < n {
                let c = p[i]
                if c == 0x22 { defer { i += 1 }; return (start..<i, escaped) }
                if c < 0x20 { return nil }
                if c < 0x80 {
                    if c == 0x5C {
                        if keyOnly || i + 1 >= n { return nil }
                        switch p[i + 1] {
                        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                            escaped = true
                            i += 2
                            continue
                        default: return nil  // \u escapes (and faults) take the full path
                        }
                    }
                    i += 1
                    continue
                }
                if keyOnly { return nil }
                // A multi-byte sequence (the strict reader's table).
                guard let len = UTF8Sequence.length(p, at: i, count: n) else { return nil }
                i += len
            }
            return nil
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
