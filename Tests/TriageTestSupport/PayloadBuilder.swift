/// Builds occurrence payloads as JSON text; every field can be overridden or removed.
public struct PayloadBuilder: Sendable {
    public var fields: [(String, String)]

    /// The full shape: subtitle, culprit, evidence (one important row), a secondary fingerprint and a level.
    public init(id: Int = 1, project: Int = 1, fingerprint: String = "fp-1", type: Int = 1, time: Double = 1_790_000_000,
                title: String = "TypeError: boom", level: String? = "error") {
        fields = [
            ("id", "\"\(PayloadBuilder.uuid(id))\""),
            ("project_id", "\(project)"),
            ("fingerprint", "[\"\(fingerprint)\",\"secondary\"]"),
            ("issue_title", "\"\(title)\""),
            ("subtitle", "\"sub\""),
            ("culprit", "\"app.py in main\""),
            ("evidence_data", #"{"k":[1,2,{"n":null}]}"#),
            ("evidence_display", #"[{"name":"Reason","value":"boom","important":true},{"name":"Host","value":"h1","important":false}]"#),
            ("type", "\(type)"),
            ("detection_time", "\(time)"),
            ("event_id", "\"\(PayloadBuilder.uuid(id + 1_000_000))\""),
        ]
        if let level { fields.append(("level", "\"\(level)\"")) }
    }

    /// The least a valid occurrence carries: one fingerprint, empty subtitle, culprit and evidence, no
    /// level (what the end-to-end tests drop into a spool).
    public static func bare(id: Int, project: Int = 1, fingerprint: String = "a", type: Int = 1,
                            time: Double = 1_790_000_000, title: String) -> PayloadBuilder {
        PayloadBuilder(id: id, project: project, fingerprint: fingerprint, type: type, time: time, title: title, level: nil)
            .with("fingerprint", "[\"\(fingerprint)\"]")
            .with("subtitle", "\"\"")
            .with("culprit", "\"\"")
            .with("evidence_data", "{}")
            .with("evidence_display", "[]")
    }

    /// 32 hex digits, the number right-aligned (`uuid(1)` is `000…001`).
    public static func uuid(_ number: Int) -> String {
        let hex = String(number, radix: 16)
        return String(repeating: "0", count: max(0, 32 - hex.count)) + hex
    }

    public func with(_ key: String, _ json: String) -> PayloadBuilder {
        var copy = self
        if let index = copy.fields.firstIndex(where: { $0.0 == key }) { copy.fields[index].1 = json } else { copy.fields.append((key, json)) }
        return copy
    }

    public func without(_ key: String) -> PayloadBuilder {
        var copy = self
        copy.fields.removeAll { $0.0 == key }
        return copy
    }

    /// With an event whose user is `user` (as `event.user.id`).
    public func seenBy(_ user: String) -> PayloadBuilder {
        event(tags: "{}", user: user)
    }

    /// With a Sentry event (platform python, environment prod) carrying `tags` (a JSON object) and,
    /// if given, a user id.
    public func event(tags: String, user: String? = nil) -> PayloadBuilder {
        let eventID = fields.first { $0.0 == "event_id" }!.1
        let project = fields.first { $0.0 == "project_id" }!.1
        let userField = user.map { #","user":{"id":"\#($0)"}"# } ?? ""
        return with("event", #"{"event_id":\#(eventID),"project_id":\#(project),"platform":"python","environment":"prod","tags":\#(tags),"timestamp":1,"received":1\#(userField)}"#)
    }

    public var json: String { "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}" }
    public var bytes: [UInt8] { Array(json.utf8) }
}

/// A status-change payload for the group of `project` and `fingerprint`.
public func statusChangeJSON(project: Int = 1, fingerprint: String = "fp-1", status: Int, substatus: Int?, id: String? = nil) -> String {
    "{\"payload_type\":\"status_change\",\"project_id\":\(project),\"fingerprint\":[\"\(fingerprint)\"],\"new_status\":\(status),\"new_substatus\":\(substatus.map(String.init) ?? "null")"
        + (id.map { ",\"id\":\"\($0)\"" } ?? "") + "}"
}
