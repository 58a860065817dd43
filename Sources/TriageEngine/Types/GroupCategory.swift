/// A group category: an integer id with a name (`issue.category:NAME` in queries).
public struct GroupCategory: Sendable, Hashable {
    public let id: Int
    public let name: String

    public init(id: Int, name: String) {
        self.id = id
        self.name = name
    }

    public static let builtIns: [GroupCategory] = [
        .init(id: 1, name: "error"), .init(id: 2, name: "performance"), .init(id: 3, name: "profile"),
        .init(id: 4, name: "cron"), .init(id: 5, name: "replay"), .init(id: 6, name: "feedback"),
        .init(id: 7, name: "uptime"), .init(id: 8, name: "metric_alert"),
    ]
}
