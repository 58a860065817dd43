/// The lifecycle rules' settings (spec §5), from `[projects.N]` and `[lifecycle]` in the config.
public struct LifecycleConfig: Sendable, Equatable {
    /// Per project: hours since last seen after which an unresolved group auto-resolves. Absent: never.
    public var resolveAgeHours: [Int64: Double] = [:]
    /// A group less than a day old that is ignored until escalating escalates when an hour holds more
    /// occurrences than this (it has no week of history to forecast from).
    public var escalationFloor = 10

    /// NEW, REGRESSED and ESCALATING become ONGOING after this long in that state.
    public static let ongoingAfter: Double = 7 * 86_400
    /// How often a following ingest or the TUI re-runs the time-based rules.
    public static let ruleInterval: Double = 60

    public init() {}
}
