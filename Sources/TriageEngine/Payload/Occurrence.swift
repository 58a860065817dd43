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
    let idBytes: UUIDBytes
    public let projectID: Int64
    public let fingerprint: [String]
    public let title: String
    public let subtitle: String
    public let culprit: String
    /// The first `evidence_display` row marked important, which stands for the evidence where
    /// space is short. The other rows are validated but not kept: the writer never reads them.
    public let importantEvidence: EvidenceRow?
    public let typeID: Int
    public let detectionTime: Double
    public let level: Level
    let eventIDBytes: UUIDBytes
    public let resourceID: String?
    /// 0, 25, 50 or 75; nil means the type's default.
    public let initialPriority: Int?
    /// Applied only when this occurrence creates its group.
    public let assignee: String?
    /// The event's user (`id:42`, `email:a@b`…), for distinct-user conditions.
    public let user: String?
    public let raw: [UInt8]

    /// 32 lowercase hex digits.
    public var id: String { idBytes.hex }
    /// 32 lowercase hex digits.
    public var eventID: String { eventIDBytes.hex }

    /// The grouping key's fingerprint: the first element.
    public var groupFingerprint: String { fingerprint[0] }

    /// Every `evidence_display` row, decoded again from `raw` (for the rare reader that wants them).
    public var evidenceDisplay: [EvidenceRow] {
        guard let document = try? JSONDocument(bytes: raw, maxDepth: 1024), let rows = document.root["evidence_display"] else { return [] }
        return rows.elements.compactMap { row in
            guard let name = row["name"]?.string, let value = row["value"]?.string, let important = row["important"]?.bool else { return nil }
            return EvidenceRow(name: name, value: value, important: important)
        }
    }
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
