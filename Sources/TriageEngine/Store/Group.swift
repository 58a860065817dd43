import GRDB

/// A group (issue) as stored: one row of `groups`.
public struct Group: Sendable, Hashable, FetchableRecord {
    public let id: Int64
    public let projectID: Int64
    public let fingerprint: String
    public let typeID: Int
    public let title: String
    public let subtitle: String
    public let culprit: String
    public let level: Level
    public let state: GroupState
    public let priority: Int
    /// Set by hand: newer occurrences no longer change it.
    public let priorityLocked: Bool
    public let firstSeen: Double
    public let lastSeen: Double
    public let timesSeen: Int
    public let importantEvidence: EvidenceRow?
    public let assignee: String?

    /// The columns `init(row:)` reads, in one place for every query that fetches groups.
    static let columns = """
        id, project_id, fingerprint, type_id, title, subtitle, culprit, level, status, substatus, priority,
        first_seen, last_seen, times_seen, important_name, important_value, assignee, priority_locked
        """

    public init(row: Row) {
        id = row[0]
        projectID = row[1]
        fingerprint = row[2]
        typeID = row[3]
        title = row[4]
        subtitle = row[5]
        culprit = row[6]
        level = Level(rawValue: row[7]) ?? .info
        let status = GroupStatus(rawValue: row[8]) ?? .unresolved
        let substatus = (row[9] as Int?).flatMap(GroupSubstatus.init(rawValue:))
        state = GroupState(status: status, substatus: substatus) ?? .ongoing
        priority = row[10]
        firstSeen = row[11]
        lastSeen = row[12]
        timesSeen = row[13]
        let importantName: String? = row[14]
        importantEvidence = importantName.map { EvidenceRow(name: $0, value: row[15] ?? "", important: true) }
        assignee = row[16]
        priorityLocked = row[17]
    }

    /// A short, speakable id: project and base-36 group id, e.g. `P1-3F`.
    public var shortID: String { ShortID.format(projectID: projectID, groupID: id) }
}

/// Short ids (`P<project>-<base36 id>`) and the group references the CLI accepts.
public enum ShortID {
    public static func format(projectID: Int64, groupID: Int64) -> String {
        "P\(projectID)-\(String(groupID, radix: 36).uppercased())"
    }

    /// A numeric id, or a short id; returns (group id, the project a short id names).
    public static func parse(_ reference: String) -> (groupID: Int64, projectID: Int64?)? {
        if let number = Int64(reference), number > 0 { return (number, nil) }
        let upper = reference.uppercased()
        guard upper.hasPrefix("P"), let dash = upper.firstIndex(of: "-"),
              let project = Int64(upper[upper.index(after: upper.startIndex)..<dash]),
              let id = Int64(upper[upper.index(after: dash)...], radix: 36), id > 0
        else { return nil }
        return (id, project)
    }
}
