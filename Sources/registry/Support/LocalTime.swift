import EventLog
import RegistryDomain

/// Times and counts as `history` prints them.
enum LocalTime {
    /// `2024-03-01 08:00:00` in China Standard Time (UTC+8), the registry's local time.
    /// A time outside years 1 to 9999 (damage or tampering) is shown as the nearest one inside, marked.
    static func text(_ time: Timestamp) -> String {
        guard time.isInCalendarRange else { return text(time.clampedToCalendar) + " (out of range: \(time.microsecondsSinceEpoch) µs)" }
        let micros = time.microsecondsSinceEpoch + 8 * 3_600_000_000
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let ofDay = seconds - days * 86_400
        let date = CalendarDate(daysSinceEpoch: days)
        return "\(date) \(two(ofDay / 3600)):\(two(ofDay / 60 % 60)):\(two(ofDay % 60))"
    }

    /// `1 fact`, `3 facts`.
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    private static func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
