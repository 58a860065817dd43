/// An occurrence's `event.tags` as every view shows them: in payload order, a string tag as its
/// text and any other value as its JSON.
public enum EventTags {
    public static func rows(of root: JSONValue) -> [(key: String, value: String)] {
        guard let tags = root["event"]?["tags"], tags.isObject else { return [] }
        return tags.members.map { (key: $0.key, value: $0.value.string ?? String(decoding: $0.value.rawJSON, as: UTF8.self)) }
    }
}
