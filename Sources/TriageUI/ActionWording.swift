import TriageEngine

/// A status action in the UI's words: a time-based ignore as a time ("ignore for 2h — until 16:05
/// UTC"), a count or user one as its condition ("ignore until 100 more events within 1h"), never the
/// catch-all "until a condition is met" the engine's verb uses for all three.
enum ActionWording {
    static func text(_ action: StatusAction, now: Double) -> String {
        guard case let .ignore(.untilCondition(condition)) = action else { return action.verb }
        var parts: [String] = []
        if let until = condition.until {
            parts.append("for \(DurationText.format(until - now)) — until \(clock(until, now: now))")
        }
        if let count = condition.count {
            parts.append("until \(count) more event\(count == 1 ? "" : "s")\(condition.countWindow.map { " within \(DurationText.format($0))" } ?? "")")
        }
        if let users = condition.users {
            parts.append("until \(users) more user\(users == 1 ? "" : "s")\(condition.userWindow.map { " within \(DurationText.format($0))" } ?? "")")
        }
        return parts.isEmpty ? action.verb : "ignore " + parts.joined(separator: " or ")
    }

    /// "16:05 UTC" within a day of `now`; the whole date and time further off.
    static func clock(_ time: Double, now: Double) -> String {
        let iso = ISOTime.format(time)
        guard time - now < 86_400, let t = iso.firstIndex(of: "T") else { return iso }
        return "\(iso[iso.index(after: t)...].prefix(5)) UTC"
    }

    /// "3 marked groups: P1-1, P1-2, P1-3 and 2 more".
    static func marked(_ groups: [Group], naming first: Int = 3) -> String {
        let named = groups.prefix(first).map(\.shortID).joined(separator: ", ")
        return "\(groups.count) marked groups: \(named)" + (groups.count > first ? " and \(groups.count - first) more" : "")
    }
}
