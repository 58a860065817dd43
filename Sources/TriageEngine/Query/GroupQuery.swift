/// A parsed query: every term must match.
public struct GroupQuery: Sendable, Equatable {
    public let terms: [QueryTerm]
    /// The text it was parsed from, for headers and history.
    public let source: String

    /// Matches every group.
    public static let all = GroupQuery(terms: [], source: "")

    public init(terms: [QueryTerm], source: String) {
        self.terms = terms
        self.source = source
    }
}

public struct QueryTerm: Sendable, Equatable {
    public let negated: Bool
    public let filter: QueryFilter
}

public enum QueryFilter: Sendable, Equatable {
    case status(StatusMatch)
    case types([Int])
    case categories([Int])
    case levels([Level])
    case projects([Int64])
    case priorities([PriorityBand])
    case timesSeen(Comparison, Int)
    /// `last_seen:-1h` is `.within(3600)`; `last_seen:+1h` is `.olderThan(3600)`.
    case lastSeen(Recency)
    case hasImportantEvidence
    /// `id:P1-3F,42`: these groups (a short id also names its project).
    case groups([GroupReference])
    /// `assigned:alice,bob` (`me` already replaced by who is asking).
    case assignees([String])
    /// `is:assigned` (true) or `is:unassigned` (false).
    case assigned(Bool)
    /// Matched case-insensitively against title, subtitle and culprit.
    case text(String)
}

/// A group named by numeric id, or by short id (which carries its project).
public struct GroupReference: Sendable, Equatable {
    public let groupID: Int64
    public let projectID: Int64?
}

public enum StatusMatch: String, Sendable, Equatable, CaseIterable {
    case unresolved, resolved, ignored, new, ongoing, regressed, escalating

    /// `is:` values with their meaning; `archived` and `muted` are Sentry's other names for ignored.
    static func named(_ name: String) -> StatusMatch? {
        switch name {
        case "archived", "muted": return .ignored
        default: return StatusMatch(rawValue: name)
        }
    }
}

public enum Comparison: String, Sendable, Equatable {
    case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "="
}

public enum Recency: Sendable, Equatable {
    case within(Double)
    case olderThan(Double)
}
