import TriageEngine

/// `list --plain`: one tab-separated line per group; values are sanitized, so a tab or newline in a
/// title can never split a row.
enum PlainRow {
    static let defaultFields = ["id", "short_id", "project_id", "level", "type", "status", "substatus", "times_seen", "last_seen", "title"]

    static func render(_ group: Group, fields: [String], registry: GroupTypeRegistry) -> String {
        fields.map { TerminalText.sanitize(value(of: $0, group, registry)) }.joined(separator: "\t")
    }

    private static func value(of field: String, _ group: Group, _ registry: GroupTypeRegistry) -> String {
        let type = registry.type(id: group.typeID)
        switch field {
        case "id": return String(group.id)
        case "short_id": return group.shortID
        case "project_id": return String(group.projectID)
        case "fingerprint": return group.fingerprint
        case "type_id": return String(group.typeID)
        case "type": return type?.slug ?? String(group.typeID)
        case "category": return type.flatMap { registry.category(id: $0.categoryID)?.name } ?? ""
        case "title": return group.title
        case "subtitle": return group.subtitle
        case "culprit": return group.culprit
        case "level": return group.level.rawValue
        case "status": return group.state.status.name
        case "substatus": return group.state.substatus?.name ?? ""
        case "priority": return String(group.priority)
        case "first_seen": return ISOTime.format(group.firstSeen)
        case "last_seen": return ISOTime.format(group.lastSeen)
        case "times_seen": return String(group.timesSeen)
        case "important_evidence": return group.importantEvidence.map { "\($0.name): \($0.value)" } ?? ""
        case "assignee": return group.assignee.map(AssigneeName.canonical) ?? ""
        default: return ""
        }
    }
}
