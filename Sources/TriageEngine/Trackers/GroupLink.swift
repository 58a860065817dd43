import GRDB

/// A group's link to an issue in an external tracker: one per tracker per group.
public struct GroupLink: Sendable, Equatable, FetchableRecord {
    public let groupID: Int64
    /// The configured tracker's name (`[plugins.NAME]`).
    public let tracker: String
    public let externalID: String
    public let url: String?
    public let title: String?
    public let linkedBy: String
    public let linkedAt: Double

    public init(groupID: Int64, tracker: String, externalID: String, url: String?, title: String?, linkedBy: String, linkedAt: Double) {
        self.groupID = groupID
        self.tracker = tracker
        self.externalID = externalID
        self.url = url
        self.title = title
        self.linkedBy = linkedBy
        self.linkedAt = linkedAt
    }

    public init(row: Row) {
        self.init(groupID: row["group_id"], tracker: row["tracker"], externalID: row["external_id"], url: row["url"],
                  title: row["title"], linkedBy: row["linked_by"], linkedAt: row["linked_at"])
    }

    /// A claim: written before a tracker files a ticket and completed with the ticket's id once it
    /// answers. One left behind (a create that timed out, a process killed) means the outcome is unknown.
    public var isClaim: Bool { externalID.isEmpty }

    /// A claim for `tracker`, by `actor`, now.
    static func claim(groupID: Int64, tracker: String, by actor: String, at time: Double) -> GroupLink {
        GroupLink(groupID: groupID, tracker: tracker, externalID: "", url: nil, title: nil, linkedBy: actor, linkedAt: time)
    }

    /// How a person settles a claim whose outcome is unknown.
    static func settleHint(groupID: Int64, tracker: String) -> String {
        "if the ticket exists, link it with `triage link \(groupID) --tracker \(tracker) --id ID`; "
            + "if not, clear the claim with `triage unlink \(groupID) --tracker \(tracker) --local`"
    }

    static func all(_ db: Database, groupID: Int64) throws -> [GroupLink] {
        try GroupLink.fetchAll(db, sql: "SELECT * FROM group_links WHERE group_id = ? ORDER BY linked_at, tracker", arguments: [groupID])
    }
}
