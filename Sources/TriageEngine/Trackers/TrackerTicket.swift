/// What a tracker is told about a group: enough to write a ticket an engineer can act on.
public struct TrackerTicket: Sendable {
    public let group: Group
    public let typeSlug: String
    public let evidence: [EvidenceEntry]
    /// Who asked (the analytics user id, else the login name).
    public let actor: String
    let registry: GroupTypeRegistry

    public init(details: GroupDetails, registry: GroupTypeRegistry, actor: String) {
        group = details.group
        typeSlug = registry.type(id: details.group.typeID)?.slug ?? String(details.group.typeID)
        evidence = EvidenceTable.rows(ofPayload: details.payload)
        self.actor = actor
        self.registry = registry
    }

    /// A one-line title: the short id and the group's title (no control characters).
    public var title: String { "[\(group.shortID)] \(TerminalText.sanitize(group.title))" }

    /// What command and webhook trackers receive: `{"action", "tracker", "external_id", "actor",
    /// "group": {the CLI's group object, plus "evidence": [{name, value, important}]}}`.
    public func json(action: String, tracker: String, externalID: String?) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.field("action", action)
        json.field("tracker", tracker)
        json.field("external_id", externalID)
        json.field("actor", actor)
        json.key("group")
        GroupJSON.write(group, registry: registry, into: &json, extra: { json in
            json.key("evidence")
            json.beginArray()
            for row in evidence {
                json.beginObject()
                json.field("name", row.name)
                json.field("value", row.value)
                json.field("important", row.important)
                json.endObject()
            }
            json.endArray()
        })
        json.endObject()
        return json.bytes
    }

    /// A Markdown body: the facts, then the evidence table with the important row in bold.
    public var markdown: String {
        var lines = [
            "**\(Markdown.inline(group.shortID))** · \(Markdown.inline(typeSlug)) · level \(group.level.rawValue) · project \(group.projectID)",
            "",
        ]
        if !group.subtitle.isEmpty { lines.append("- Subtitle: \(Markdown.inline(group.subtitle))") }
        if !group.culprit.isEmpty { lines.append("- Culprit: `\(Markdown.code(group.culprit))`") }
        lines += [
            "- Status: \(group.state.description)",
            "- Events: \(group.timesSeen) (first seen \(ISOTime.format(group.firstSeen)), last seen \(ISOTime.format(group.lastSeen)))",
        ]
        if !evidence.isEmpty {
            lines += ["", "| Evidence | Value |", "| --- | --- |"]
            for row in evidence {
                let name = Markdown.inline(row.name)
                let value = Markdown.inline(row.value)
                lines.append(row.important ? "| **▶ \(name)** | **\(value)** |" : "| \(name) | \(value) |")
            }
        }
        lines += ["", "_Filed from triage by \(Markdown.inline(actor))._"]
        return lines.joined(separator: "\n")
    }
}

/// Escaping for text from payloads placed in Markdown: nothing a producer sends becomes markup,
/// a link, or a control character.
enum Markdown {
    static func inline(_ text: String) -> String {
        var escaped = ""
        for character in TerminalText.sanitize(text) {
            if "\\`*_{}[]()<>#+-.!|~".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    /// Plain text of an inline Markdown line: a backslash before ASCII punctuation is CommonMark's
    /// escape, so `inline`'s output reads back as the title it was made from.
    static func plain(_ text: Substring) -> String {
        var plain = ""
        var escaping = false
        for character in text {
            if !escaping, character == "\\" {
                escaping = true
                continue
            }
            let escapable = character.isASCII && (character.isPunctuation || character.isSymbol)
            if escaping, !escapable { plain.append("\\") }
            escaping = false
            plain.append(character)
        }
        if escaping { plain.append("\\") }
        return plain
    }

    static func code(_ text: String) -> String { TerminalText.sanitize(text).replacingOccurrences(of: "`", with: "'") }
}
