import Foundation

/// A one-line progress bar on standard error, drawn only when standard error is a terminal.
///
/// `[#########...........]  45.2%  1,234,567 events  812,345/s`, redrawn at most ten times a second and erased
/// by ``finish()``. When standard error is not a terminal (a pipe, a file, a test) nothing is drawn.
///
/// Not `Sendable`: one task drives it (the progress callbacks of a replay, an import or a verify pass).
final class TerminalProgress {
    /// What is being counted (`events`, `lines`, `records`).
    let unit: String
    /// Whether anything is drawn.
    let enabled: Bool
    private var lastDraw: UInt64 = 0
    private var drawn = false
    private let start = DispatchTime.now().uptimeNanoseconds

    /// Creates a progress bar.
    /// - Parameters:
    ///   - unit: what is counted.
    ///   - enabled: whether to draw; standard error being a terminal by default.
    init(unit: String, enabled: Bool = Terminal.standardErrorIsTerminal) {
        self.unit = unit
        self.enabled = enabled
    }

    /// Seconds since the bar was created.
    var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

    /// Shows progress.
    /// - Parameters:
    ///   - done: units done.
    ///   - fraction: the fraction done, when known.
    ///   - force: draw even if the last draw was less than 0.1 s ago.
    func update(done: Int, fraction: Double?, force: Bool = false) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard force || now - lastDraw >= 100_000_000 else { return }
        lastDraw = now
        let seconds = elapsed
        let rate = seconds > 0 ? Int(Double(done) / seconds) : 0
        var line = "\r"
        if let fraction {
            let width = 30
            let filled = max(0, min(width, Int(fraction * Double(width))))
            line += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            line += String(format: "%5.1f%%  ", fraction * 100)
        }
        line += "\(Self.grouped(done)) \(unit)  \(Self.grouped(rate))/s\u{1B}[K"
        Terminal.writeError(line)
        drawn = true
    }

    /// Erases the bar.
    func finish() {
        guard enabled, drawn else { return }
        Terminal.writeError("\r\u{1B}[K")
        drawn = false
    }

    /// `1234567` as `1,234,567`.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }
}
