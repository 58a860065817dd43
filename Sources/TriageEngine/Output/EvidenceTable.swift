/// An occurrence's `evidence_display` rows as every view shows them: in payload order, with only the
/// first row marked important (the spec allows one; a producer may send several).
public struct EvidenceEntry: Sendable, Equatable {
    public let name: String
    public let value: String
    public let important: Bool
}

public enum EvidenceTable {
    public static func rows(of root: JSONValue) -> [EvidenceEntry] {
        guard let rows = root["evidence_display"] else { return [] }
        var markedImportant = false
        return rows.elements.map { row in
            let important = (row["important"]?.bool ?? false) && !markedImportant
            if important { markedImportant = true }
            return EvidenceEntry(name: row["name"]?.string ?? "", value: row["value"]?.string ?? "", important: important)
        }
    }

    public static func rows(ofPayload payload: [UInt8]?) -> [EvidenceEntry] {
        guard let payload, let document = try? JSONDocument(bytes: payload, maxDepth: 1024) else { return [] }
        return rows(of: document.root)
    }
}
