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
///
/// A class: it is immutable, and on its way from the decode queue to the writer it is copied out of
/// batches, results and enums half a dozen times; as a struct each copy retained its ten strings
/// and arrays (retains and releases, mostly these, were an eighth of the writer's perf samples).
public final class Occurrence: Sendable {
    let idBytes: UUIDBytes
    public let projectID: Int64
    public let fingerprint: [String]
    /// What the group shows of it, once it is the group's newest.
    package let headline: OccurrenceHeadline
    public let typeID: Int
    public let detectionTime: Double
    let eventIDBytes: UUIDBytes
    public let resourceID: String?
    /// Applied only when this occurrence creates its group.
    public let assignee: String?
    /// The event's user (`id:42`, `email:a@b`…), for distinct-user conditions.
    public let user: String?
    public let raw: [UInt8]

    init(idBytes: UUIDBytes, projectID: Int64, fingerprint: [String], title: String, subtitle: String, culprit: String,
         importantEvidence: EvidenceRow?, typeID: Int, detectionTime: Double, level: Level, eventIDBytes: UUIDBytes,
         resourceID: String?, initialPriority: Int?, assignee: String?, user: String?, raw: [UInt8]) {
        self.idBytes = idBytes
        self.projectID = projectID
        self.fingerprint = fingerprint
        headline = OccurrenceHeadline(title: title, subtitle: subtitle, culprit: culprit, level: level,
                                      initialPriority: initialPriority, importantEvidence: importantEvidence)
        self.typeID = typeID
        self.detectionTime = detectionTime
        self.eventIDBytes = eventIDBytes
        self.resourceID = resourceID
        self.assignee = assignee
        self.user = user
        self.raw = raw
    }

    public var title: String { headline.title }
    public var subtitle: String { headline.subtitle }
    public var culprit: String { headline.culprit }
    public var level: Level { headline.level }
    /// 0, 25, 50 or 75; nil means the type's default.
    public var initialPriority: Int? { headline.initialPriority }
    /// The first `evidence_display` row marked important, which stands for the evidence where
    /// space is short. The other rows are validated but not kept: the writer never reads them.
    public var importantEvidence: EvidenceRow? { headline.importantEvidence }

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

/// The fields a group takes from its newest occurrence. One object, made with the occurrence where
/// it is decoded, so that a group's newest changing costs the writer one reference, not six
/// strings' worth.
package final class OccurrenceHeadline: Sendable {
    package let title: String
    package let subtitle: String
    package let culprit: String
    package let level: Level
    package let initialPriority: Int?
    package let importantEvidence: EvidenceRow?

    init(title: String, subtitle: String, culprit: String, level: Level, initialPriority: Int?, importantEvidence: EvidenceRow?) {
        self.title = title
        self.subtitle = subtitle
        self.culprit = culprit
        self.level = level
        self.initialPriority = initialPriority
        self.importantEvidence = importantEvidence
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
