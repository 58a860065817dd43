/// Indented JSON text for people (evidence_data in `show` and the TUI's details). Scalars keep their
/// source spelling; callers sanitize lines before they reach a terminal.
public enum JSONPretty {
    public static func lines(_ value: JSONValue, indentWidth: Int = 2) -> [String] {
        var lines: [String] = []
        append(value, prefix: "", indent: "", step: String(repeating: " ", count: indentWidth), trailing: "", into: &lines)
        return lines
    }

    private static func append(_ value: JSONValue, prefix: String, indent: String, step: String, trailing: String,
                               into lines: inout [String]) {
        if value.isObject {
            let members = Array(value.members)
            guard !members.isEmpty else { return lines.append(indent + prefix + "{}" + trailing) }
            lines.append(indent + prefix + "{")
            for (index, member) in members.enumerated() {
                let comma = index < members.count - 1 ? "," : ""
                append(member.value, prefix: String(decoding: JSONValue(document: member.document, index: member.keyIndex).rawJSON, as: UTF8.self) + ": ",
                       indent: indent + step, step: step, trailing: comma, into: &lines)
            }
            lines.append(indent + "}" + trailing)
        } else if value.isArray {
            let elements = Array(value.elements)
            guard !elements.isEmpty else { return lines.append(indent + prefix + "[]" + trailing) }
            lines.append(indent + prefix + "[")
            for (index, element) in elements.enumerated() {
                append(element, prefix: "", indent: indent + step, step: step,
                       trailing: index < elements.count - 1 ? "," : "", into: &lines)
            }
            lines.append(indent + "]" + trailing)
        } else {
            lines.append(indent + prefix + String(decoding: value.rawJSON, as: UTF8.self) + trailing)
        }
    }
}
