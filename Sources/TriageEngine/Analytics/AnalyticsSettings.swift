/// `[analytics]`: where events go and how the file is rotated.
public struct AnalyticsSettings: Sendable, Equatable {
    public var enabled = true
    /// Nil: `analytics.jsonl` beside the store.
    public var path: String?
    /// The file is rotated (`.1`, `.2`, ...) before a line would take it past this size.
    public var maxBytes = 10 * 1024 * 1024
    /// Rotated files kept.
    public var keep = 5
    /// triage serves one organization; the id is there so events join with other systems' data.
    public var organizationID = 1

    public init() {}
}
