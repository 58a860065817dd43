/// Spec §5, ignore until escalating: does the current hour exceed the forecast for today?
///
/// The forecast, from the group's hourly counts over the seven days before the current hour
/// (168 buckets, hours without occurrences counting as zero):
///
///     forecast = max(floor, ⌈1.5 × peak⌉)      peak = the largest hourly count of those 168 hours
///
/// and the group escalates when the current hour's count is greater than the forecast. A group less
/// than a day old has no history to speak of, so only the floor applies to it. Why the peak and not
/// the mean: an on-call engineer ignores a group "until it gets worse than it has been", and a group
/// that already spiked to 50 an hour this week should not page anyone at 40; the 1.5 factor leaves
/// room for ordinary growth, and the floor keeps a quiet group from escalating on a handful.
public enum EscalationForecast {
    public static let historyHours = 168

    /// `history` is hourly counts before the current hour (any order, missing hours are zeros).
    public static func forecast(history: [Int], groupAge: Double, floor: Int) -> Int {
        guard groupAge >= 86_400 else { return floor }
        let peak = history.max() ?? 0
        let scaled = (1.5 * Double(peak)).rounded(.up)
        return max(floor, scaled < Double(Int.max) ? Int(scaled) : Int.max)
    }

    public static func escalates(currentHour: Int, forecast: Int) -> Bool { currentHour > forecast }
}
