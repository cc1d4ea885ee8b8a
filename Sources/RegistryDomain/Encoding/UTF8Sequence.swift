/// Well-formed UTF-8 (RFC 3629, table 3-7 of Unicode): no overlong forms, no encoded surrogates, nothing above
/// U+10FFFF. The one table both JSON readers (`StrictJSON` and the line index's fast path) use.
enum UTF8Sequence {
    /// The length of the well-formed sequence starting at `i` in the `n` bytes at `p`, or nil when none starts there.
    @inline(__always)
    static func length(_ p: UnsafePointer<UInt8>, at i: Int, count n: Int) -> Int? {
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        let len: Int
        switch p[i] {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: len = 2
        case 0xE0: len = 3; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: len = 3
        case 0xED: len = 3; hi = 0x9F
        case 0xF0: len = 4; lo = 0x90
        case 0xF1...0xF3: len = 4
        case 0xF4: len = 4; hi = 0x8F
        default: return nil
        }
        guard i + len <= n, p[i + 1] >= lo, p[i + 1] <= hi else { return nil }
        var k = 2
        while k < len {
            guard p[i + k] >= 0x80, p[i + k] <= 0xBF else { return nil }
            k += 1
        }
        return len
    }
}
