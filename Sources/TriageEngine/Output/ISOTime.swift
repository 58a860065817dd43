import Foundation

/// Timestamps as the CLI contract prints them: ISO 8601 UTC with milliseconds, `2026-01-02T03:04:05.123Z`.
public enum ISOTime {
    /// Years 1 to 9999, the range ISO 8601's four-digit years can write.
    static let representable: ClosedRange<Double> = -62_135_596_800 ... 253_402_300_799

    /// Whether `format` writes this time as it is rather than clamped.
    public static func isRepresentable(_ seconds: Double) -> Bool { representable.contains(seconds) }

    /// Total: a time outside the representable years (a damaged or older store's value) is clamped
    /// to the nearest end, and NaN is written as the epoch, so listing never traps on a value.
    public static func format(_ seconds: Double) -> String {
        let seconds = seconds.isNaN ? 0 : min(max(seconds, representable.lowerBound), representable.upperBound)
        var whole = time_t(seconds.rounded(.down))
        var millis = Int(((seconds - Double(whole)) * 1000).rounded())
        if millis == 1000 { whole += 1; millis = 0 }
        var parts = tm()
        gmtime_r(&whole, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(millis), 3))Z"
    }

    /// Parses `2026-01-02T03:04:05Z`, with optional fractional seconds, or a bare `2026-01-02` (midnight UTC).
    public static func parse(_ text: String) -> Double? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
        formatter.formatOptions = [.withFullDate]
        return formatter.date(from: text)?.timeIntervalSince1970
    }

    /// "12s ago", "3m ago", "5h ago", "2d ago", "4mo ago", "56y ago": how the list shows last-seen
    /// times. A time before 2000 (an epoch 0 from a producer that sent none) is no age anyone
    /// means: it shows as its date, `1970-01-01`. A time ahead of the clock (a producer's clock
    /// running fast) says so: "in 23h".
    public static func relative(_ seconds: Double, now: Double) -> String {
        if !seconds.isNaN, seconds < modernEra { return String(format(seconds).prefix(while: { $0 != "T" })) }
        if seconds - now >= 60 { return "in " + age(seconds - now) }
        return age(now - seconds) + " ago"
    }

    /// 2000-01-01T00:00:00Z: times before it are shown as dates, not ages.
    static let modernEra: Double = 946_684_800

    /// A duration in its largest unit: "12s", "3m", "5h", "2d", "4mo", "56y" (from a year on).
    public static func age(_ difference: Double) -> String {
        let age = difference.isNaN ? 0 : max(0, min(difference, 86_400 * 365 * 10_000))
        switch age {
        case ..<60: return "\(Int(age))s"
        case ..<3600: return "\(Int(age / 60))m"
        case ..<86_400: return "\(Int(age / 3600))h"
        case ..<(86_400 * 60): return "\(Int(age / 86_400))d"
        case ..<(86_400 * 365): return "\(Int(age / (86_400 * 30)))mo"
        default: return "\(Int(age / (86_400 * 365)))y"
        }
    }
}
