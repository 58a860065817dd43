/// One row of an occurrence's `evidence_display`.
public struct EvidenceRow: Sendable, Hashable {
    public let name: String
    public let value: String
    public let important: Bool

    public init(name: String, value: String, important: Bool) {
        self.name = name
        self.value = value
        self.important = important
    }
}

/// A validated occurrence. `raw` holds the payload exactly as received; `evidence_data` and the event
/// are kept only there and decoded again when someone looks at them.
public struct Occurrence: Sendable {
    /// 32 lowercase hex digits.
    public let id: String
    public let projectID: Int64
    public let fingerprint: [String]
    public let title: String
    public let subtitle: String
    public let culprit: String
    public let evidenceDisplay: [EvidenceRow]
    public let typeID: Int
    public let detectionTime: Double
    public let level: Level
    /// 32 lowercase hex digits.
    public let eventID: String
    public let resourceID: String?
    /// 0, 25, 50 or 75; nil means the type's default.
    public let initialPriority: Int?
    /// Applied only when this occurrence creates its group.
    public let assignee: String?
    /// The event's user (`id:42`, `email:a@b`…), for distinct-user conditions.
    public let user: String?
    public let raw: [UInt8]

    /// The grouping key's fingerprint: the first element.
    public var groupFingerprint: String { fingerprint[0] }

    /// The first row marked important, which stands for the evidence where space is short.
    public var importantEvidence: EvidenceRow? { evidenceDisplay.first { $0.important } }
}

/// A validated status change for the group found by (project, first fingerprint).
public struct StatusChange: Sendable {
    public let id: String?
    public let projectID: Int64
    public let fingerprint: [String]
    public let newState: GroupState
}

/// What one payload turned out to be.
public enum Payload: Sendable {
    case occurrence(Occurrence)
    case statusChange(StatusChange)
}
