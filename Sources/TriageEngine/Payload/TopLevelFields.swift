/// The payload's known top-level keys, found in one pass over the root object.
///
/// Unknown keys are ignored (Sentry's messages carry more than triage reads). A known key given twice
/// is refused: which copy wins differs between JSON libraries, so the producer's intent is unclear.
struct TopLevelFields {
    enum Field: Int, CaseIterable {
        case payloadType, id, projectID, fingerprint, issueTitle, subtitle, culprit, evidenceData, evidenceDisplay
        case type, detectionTime, level, eventID, event, resourceID, initialIssuePriority, assignee
        case newStatus, newSubstatus

        var key: String {
            switch self {
            case .payloadType: return "payload_type"
            case .id: return "id"
            case .projectID: return "project_id"
            case .fingerprint: return "fingerprint"
            case .issueTitle: return "issue_title"
            case .subtitle: return "subtitle"
            case .culprit: return "culprit"
            case .evidenceData: return "evidence_data"
            case .evidenceDisplay: return "evidence_display"
            case .type: return "type"
            case .detectionTime: return "detection_time"
            case .level: return "level"
            case .eventID: return "event_id"
            case .event: return "event"
            case .resourceID: return "resource_id"
            case .initialIssuePriority: return "initial_issue_priority"
            case .assignee: return "assignee"
            case .newStatus: return "new_status"
            case .newSubstatus: return "new_substatus"
            }
        }

        /// Keys as bytes, computed once: matching happens for every key of every payload.
        static let keyBytes: [[UInt8]] = allCases.map { Array($0.key.utf8) }

        /// Fields by the byte length of their key, so a key is compared with at most three others.
        static let byKeyLength: [[Field]] = {
            var table = Array(repeating: [Field](), count: keyBytes.map(\.count).max()! + 1)
            for field in allCases { table[keyBytes[field.rawValue].count].append(field) }
            return table
        }()
    }

    private var values: [JSONValue?] = Array(repeating: nil, count: Field.allCases.count)

    init(_ root: JSONValue) throws(PayloadError) {
        for member in root.members {
            guard let field = Self.match(member) else { continue }
            if values[field.rawValue] != nil { throw .duplicateKey(field.key) }
            values[field.rawValue] = member.value
        }
    }

    private static func match(_ member: JSONMember) -> Field? {
        // An escaped key's length in the document is not its length; such keys are compared with all.
        let length = member.rawKeyLength
        let candidates = member.isKeyEscaped ? Field.allCases[...]
            : length < Field.byKeyLength.count ? Field.byKeyLength[length][...] : []
        for field in candidates {
            let matched = Field.keyBytes[field.rawValue].withUnsafeBufferPointer { member.keyEquals($0) }
            if matched { return field }
        }
        return nil
    }

    /// The value of a required field; null counts as present with the wrong type.
    func require(_ field: Field) throws(PayloadError) -> JSONValue {
        guard let value = values[field.rawValue] else { throw .missingField(field.key) }
        if value.isNull { throw .wrongType(field: field.key, expected: Self.expectation(field), found: "null") }
        return value
    }

    /// The value of an optional field; absent and null are the same.
    func optional(_ field: Field) -> JSONValue? {
        guard let value = values[field.rawValue], !value.isNull else { return nil }
        return value
    }

    func optionalString(_ field: Field) throws(PayloadError) -> String? {
        try optional(field)?.requireString(field.key)
    }

    func optionalInteger(_ field: Field) throws(PayloadError) -> Int64? {
        try optional(field)?.requireInteger(field.key)
    }

    private static func expectation(_ field: Field) -> String {
        switch field {
        case .projectID, .type, .newStatus, .newSubstatus, .initialIssuePriority: return "an integer"
        case .fingerprint: return "an array of strings"
        case .evidenceData, .event: return "an object"
        case .evidenceDisplay: return "an array"
        case .detectionTime: return "a number (Unix seconds) or an ISO 8601 string"
        default: return "a string"
        }
    }
}
