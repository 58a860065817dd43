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

    /// The columns `init(row:)` reads, in one place for every query that fetches groups. Text from
    /// payloads is read as bytes: a NUL in a title is kept (and shown as `␀`), where reading it as
    /// text (a C string) cut the title there.
    static let columns = """
        id, project_id, CAST(fingerprint AS BLOB), type_id, CAST(title AS BLOB), CAST(subtitle AS BLOB), CAST(culprit AS BLOB),
        level, status, substatus, priority, first_seen, last_seen, times_seen, CAST(important_name AS BLOB),
        CAST(important_value AS BLOB), assignee, priority_locked
        """

    /// A group from another store's row (the team store's), field by field.
    package init(id: Int64, projectID: Int64, fingerprint: String, typeID: Int, title: String, subtitle: String, culprit: String,
                 level: Level, state: GroupState, priority: Int, priorityLocked: Bool, firstSeen: Double, lastSeen: Double,
                 timesSeen: Int, importantEvidence: EvidenceRow?, assignee: String?) {
        self.id = id
        self.projectID = projectID
        self.fingerprint = fingerprint
        self.typeID = typeID
        self.title = title
        self.subtitle = subtitle
        self.culprit = culprit
        self.level = level
        self.state = state
        self.priority = priority
        self.priorityLocked = priorityLocked
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.timesSeen = timesSeen
        self.importantEvidence = importantEvidence
        self.assignee = assignee
    }

    /// Total over what a damaged or hand-edited store may hold: a NULL, a text where a number
    /// belongs or a number out of range reads as a neutral value, so listing and showing never trap.
    public init(row: Row) {
        id = row.lenient(0) ?? 0
        projectID = row.lenient(1) ?? 0
        fingerprint = row.lenient(2) ?? ""
        typeID = row.lenient(3) ?? 0
        title = row.lenient(4) ?? ""
        subtitle = row.lenient(5) ?? ""
        culprit = row.lenient(6) ?? ""
        level = row.lenient(7).flatMap(Level.init(rawValue:)) ?? .info
        let status = row.lenient(8).flatMap(GroupStatus.init(rawValue:)) ?? .unresolved
        let substatus = row.lenient(9).flatMap(GroupSubstatus.init(rawValue:))
        state = GroupState(status: status, substatus: substatus) ?? .ongoing
        priority = row.lenient(10) ?? Priority.medium
        firstSeen = row.lenient(11) ?? 0
        lastSeen = row.lenient(12) ?? 0
        timesSeen = row.lenient(13) ?? 0
        let importantName: String? = row.lenient(14)
        importantEvidence = importantName.map { EvidenceRow(name: $0, value: row.lenient(15) ?? "", important: true) }
        assignee = row.lenient(16)
        priorityLocked = row.lenient(17) ?? false
    }

    /// The group with this id, if any: the one request every by-id read goes through.
    static func fetch(_ db: Database, id: Int64) throws -> Group? {
        try Group.fetchOne(db.cachedStatement(sql: "SELECT \(columns) FROM groups WHERE id = ?"), arguments: [id])
    }

    /// Groups matching a WHERE condition (with its arguments), in `orderBy` order.
    static func select(where condition: String, orderBy: String? = nil) -> String {
        "SELECT \(columns) FROM groups WHERE \(condition)" + (orderBy.map { " ORDER BY \($0)" } ?? "")
    }

    /// A short, speakable id: project and base-36 group id, e.g. `P1-3F`.
    public var shortID: String { ShortID.format(projectID: projectID, groupID: id) }
}

/// Short ids (`P<project>-<base36 id>`) and the group references the CLI accepts.
public enum ShortID {
    public static func format(projectID: Int64, groupID: Int64) -> String {
        "P\(projectID)-\(String(groupID, radix: 36).uppercased())"
    }

    /// A numeric id, or a short id; returns (group id, the project a short id names). Whatever
    /// `format` makes parses back: the group id follows the last dash, so a negative project's
    /// (`P-1-H`) is read whole.
    public static func parse(_ reference: String) -> (groupID: Int64, projectID: Int64?)? {
        if let number = Int64(reference), number > 0 { return (number, nil) }
        let upper = reference.uppercased()
        guard upper.hasPrefix("P"), let dash = upper.lastIndex(of: "-"),
              let project = Int64(upper[upper.index(after: upper.startIndex)..<dash]),
              let id = Int64(upper[upper.index(after: dash)...], radix: 36), id > 0
        else { return nil }
        return (id, project)
    }
}

extension Row {
    /// The value at `index` converted to `Value`, or nil when it is NULL or does not convert
    /// (GRDB's own subscript stops the process on a failed conversion).
    func lenient<Value: DatabaseValueConvertible>(_ index: Int) -> Value? {
        Value.fromDatabaseValue(self[index] as DatabaseValue)
    }

    func lenient<Value: DatabaseValueConvertible>(_ column: String) -> Value? {
        guard let value = self[column] as DatabaseValue? else { return nil }
        return Value.fromDatabaseValue(value)
    }
}
