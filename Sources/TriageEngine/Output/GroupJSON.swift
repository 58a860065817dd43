/// The group object of the CLI contract, and `show`'s extended form.
public enum GroupJSON {
    /// `extra` adds keys after the contract's ones.
    public static func write(_ group: Group, registry: GroupTypeRegistry, into json: inout JSONWriter, fields: Set<String>? = nil,
                             extra: ((inout JSONWriter) -> Void)? = nil) {
        json.beginObject()
        writeFields(group, registry: registry, into: &json, fields: fields)
        extra?(&json)
        json.endObject()
    }

    private static func writeFields(_ group: Group, registry: GroupTypeRegistry, into json: inout JSONWriter, fields: Set<String>?) {
        let type = registry.type(id: group.typeID)
        let category = type.flatMap { registry.category(id: $0.categoryID) }
        func wanted(_ name: String) -> Bool { fields?.contains(name) ?? true }
        if wanted("id") { json.field("id", group.id) }
        if wanted("short_id") { json.field("short_id", group.shortID) }
        if wanted("project_id") { json.field("project_id", group.projectID) }
        if wanted("fingerprint") { json.field("fingerprint", group.fingerprint) }
        if wanted("type_id") { json.field("type_id", group.typeID) }
        if wanted("type") { json.field("type", type?.slug) }
        if wanted("category") { json.field("category", category?.name) }
        if wanted("title") { json.field("title", group.title) }
        if wanted("subtitle") { json.field("subtitle", group.subtitle) }
        if wanted("culprit") { json.field("culprit", group.culprit) }
        if wanted("level") { json.field("level", group.level.rawValue) }
        if wanted("status") { json.field("status", group.state.status.name) }
        if wanted("substatus") { json.field("substatus", group.state.substatus?.name) }
        if wanted("priority") { json.field("priority", group.priority) }
        if wanted("priority_locked") { json.field("priority_locked", group.priorityLocked) }
        if wanted("first_seen") { json.field("first_seen", ISOTime.format(group.firstSeen)) }
        if wanted("last_seen") { json.field("last_seen", ISOTime.format(group.lastSeen)) }
        if wanted("times_seen") { json.field("times_seen", group.timesSeen) }
        if wanted("important_evidence") {
            json.key("important_evidence")
            if let evidence = group.importantEvidence {
                json.beginObject()
                json.field("name", evidence.name)
                json.field("value", evidence.value)
                json.endObject()
            } else {
                json.value(nil as String?)
            }
        }
        if wanted("assignee") { json.field("assignee", group.assignee) }
    }

    /// The keys `--fields` may name.
    public static let fieldNames: [String] = [
        "id", "short_id", "project_id", "fingerprint", "type_id", "type", "category", "title", "subtitle", "culprit",
        "level", "status", "substatus", "priority", "priority_locked", "first_seen", "last_seen", "times_seen", "important_evidence", "assignee",
    ]

    /// `show --json`: the group object plus `latest_occurrence`, `history` (state changes),
    /// `assignments`, `priority_changes` (by hand: `from` and `to` are high, medium, low or auto), `notes` and `links`.
    public static func details(_ details: GroupDetails, registry: GroupTypeRegistry) -> String {
        var json = JSONWriter()
        json.beginObject()
        writeFields(details.group, registry: registry, into: &json, fields: nil)
        json.key("latest_occurrence")
        if let payload = details.payload { json.raw(payload) } else { json.value(nil as String?) }
        json.key("history")
        json.beginArray()
        for entry in details.history {
            json.beginObject()
            json.field("at", ISOTime.format(entry.at))
            json.field("from_status", entry.from?.status.name)
            json.field("from_substatus", entry.from?.substatus?.name)
            json.field("to_status", entry.to.status.name)
            json.field("to_substatus", entry.to.substatus?.name)
            json.field("cause", entry.cause)
            json.field("actor", entry.actor)
            json.field("detail", entry.detail)
            json.endObject()
        }
        json.endArray()
        json.key("assignments")
        json.beginArray()
        for change in details.assignments {
            json.beginObject()
            json.field("at", ISOTime.format(change.at))
            json.field("actor", change.actor)
            json.field("from", change.from)
            json.field("to", change.to)
            json.endObject()
        }
        json.endArray()
        json.key("priority_changes")
        json.beginArray()
        for change in details.priorities {
            json.beginObject()
            json.field("at", ISOTime.format(change.at))
            json.field("actor", change.actor)
            json.field("from", PriorityChange.name(change.from))
            json.field("to", PriorityChange.name(change.to))
            json.endObject()
        }
        json.endArray()
        json.key("notes")
        json.beginArray()
        for note in details.notes {
            json.beginObject()
            json.field("at", ISOTime.format(note.at))
            json.field("author", note.author)
            json.field("text", note.text)
            json.endObject()
        }
        json.endArray()
        json.key("ignore_condition")
        if let condition = details.ignoreCondition {
            json.beginObject()
            json.field("until", condition.until.map(ISOTime.format))
            json.field("count", condition.count)
            json.field("count_window_seconds", condition.countWindow)
            json.field("users", condition.users)
            json.field("user_window_seconds", condition.userWindow)
            json.endObject()
        } else {
            json.value(nil as String?)
        }
        json.key("links")
        json.beginArray()
        for link in details.links { write(link, into: &json) }
        json.endArray()
        json.endObject()
        return json.text
    }

    /// A link object: `{tracker, state, external_id, url, title, linked_by, linked_at}` (and `group_id`
    /// when asked); `state` is `claimed` (external_id null) while a ticket's filing is under way or
    /// its outcome unknown, else `linked`.
    public static func write(_ link: GroupLink, into json: inout JSONWriter, withGroup: Bool = false) {
        json.beginObject()
        if withGroup { json.field("group_id", link.groupID) }
        json.field("tracker", link.tracker)
        json.field("state", link.isClaim ? "claimed" : "linked")
        json.field("external_id", link.isClaim ? nil : link.externalID)
        json.field("url", link.url)
        json.field("title", link.title)
        json.field("linked_by", link.linkedBy)
        json.field("linked_at", ISOTime.format(link.linkedAt))
        json.endObject()
    }
}
