/// The time an "ignore until" ends, as people type it: `HH:MM` (its next occurrence, UTC) or an
/// ISO 8601 time. One reading for `triage ignore --until`, the status panel and `:ignore until`.
public enum IgnoreUntilTime {
    /// The time `text` names after `now`; nil when it names none, or one already past.
    public static func parse(_ text: String, after now: Double) -> Double? {
        let parts = text.split(separator: ":")
        if parts.count == 2, parts[0].count <= 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
           (0..<24).contains(hour), (0..<60).contains(minute) {
            let day = (now / 86_400).rounded(.down) * 86_400
            let today = day + Double(hour * 3600 + minute * 60)
            return today > now ? today : today + 86_400
        }
        return ISOTime.parse(text).flatMap { $0 > now ? $0 : nil }
    }

    /// Why `text` names no time after `now`, in words the CLI and the status panel both say.
    public static func problem(_ text: String, after now: Double) -> String? {
        guard parse(text, after: now) == nil else { return nil }
        // A time already past would lapse at once: almost certainly a typo in the date.
        if let time = ISOTime.parse(text) { return "\(ISOTime.format(time)) is in the past; give a later time" }
        return "'\(text)' is not a time such as 14:05 (UTC, its next occurrence) or 2026-12-01T09:00:00Z"
    }
}
