import Foundation

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

/// Who is acting: `$TRIAGE_USER` when set (the analytics `user_id`), and always the login name
/// (`default_user_id`).
public struct Actor: Sendable, Equatable {
    public let userID: String?
    public let defaultUserID: String

    public init(userID: String?, defaultUserID: String) {
        self.userID = userID
        self.defaultUserID = defaultUserID
    }

    /// The name for history and links.
    public var name: String { userID ?? defaultUserID }

    public static func current(environment: [String: String]) -> Actor {
        let login = environment["USER"] ?? environment["LOGNAME"] ?? getpwuid(geteuid()).map { String(cString: $0.pointee.pw_name) } ?? "uid \(geteuid())"
        return Actor(userID: environment["TRIAGE_USER"].flatMap { $0.isEmpty ? nil : $0 }, defaultUserID: login)
    }
}
