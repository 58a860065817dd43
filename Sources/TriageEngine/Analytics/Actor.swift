import Foundation

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
