import Foundation

/// Limits that protect the process from hostile payloads.
public struct PayloadLimits: Sendable, Equatable {
    public var maxPayloadBytes: Int
    public var maxDepth: Int
    /// How far ahead of the ingesting clock a `detection_time` may be (producers' clocks drift).
    public var maxSecondsAhead: Double

    /// 1 MiB, 64 levels and 24 hours.
    public static let `default` = PayloadLimits(maxPayloadBytes: 1 << 20, maxDepth: 64)
    /// Offsets in the parse tape are 32-bit; keep configured sizes well inside that.
    public static let largestAllowedPayload = 256 << 20

    public init(maxPayloadBytes: Int, maxDepth: Int, maxSecondsAhead: Double = 86_400) {
        self.maxPayloadBytes = maxPayloadBytes
        self.maxDepth = maxDepth
        self.maxSecondsAhead = maxSecondsAhead
    }
}

/// Turns payload bytes into a validated `Payload`, or a `PayloadError` naming the field at fault.
public struct PayloadDecoder: Sendable {
    public let registry: GroupTypeRegistry
    public let limits: PayloadLimits
    /// "Now" for the plausibility of payload times.
    public let clock: any TriageClock

    public init(registry: GroupTypeRegistry, limits: PayloadLimits = .default, clock: any TriageClock = SystemClock()) {
        self.registry = registry
        self.limits = limits
        self.clock = clock
    }

    public func decode(_ bytes: [UInt8]) throws(PayloadError) -> Payload {
        guard bytes.count <= limits.maxPayloadBytes else {
            throw .tooLarge(size: bytes.count, limit: limits.maxPayloadBytes)
        }
        let document: JSONDocument
        do { document = try JSONDocument(bytes: bytes, maxDepth: limits.maxDepth) } catch { throw .syntax(error) }
        let root = document.root
        guard root.isObject else { throw .notAnObject(found: root.typeName) }
        let fields = try TopLevelFields(root)
        let kind = try fields.optionalString(.payloadType)
        switch kind {
        case nil, "occurrence": return .occurrence(try decodeOccurrence(fields, raw: bytes))
        case "status_change": return .statusChange(try decodeStatusChange(fields))
        case let other?: throw .unknownPayloadType(other)
        }
    }

    private func decodeOccurrence(_ fields: TopLevelFields, raw: [UInt8]) throws(PayloadError) -> Occurrence {
        let id = try fields.require(.id).requireUUID("id")
        let projectID = try fields.require(.projectID).requireInteger("project_id")
        let fingerprint = try decodeFingerprint(fields.require(.fingerprint))
        let title = try fields.require(.issueTitle).requireString("issue_title")
        if title.isEmpty { throw .empty(field: "issue_title") }
        // A blank title would be a blank row in every list.
        if title.allSatisfy(\.isWhitespace) { throw .invalidValue(field: "issue_title", reason: "is only whitespace; a title must say something") }
        let subtitle = try fields.require(.subtitle).requireString("subtitle")
        // Sentry's consumer reads these three only when present: absent or null is empty.
        let culprit = try fields.optionalString(.culprit) ?? ""
        if let evidenceData = fields.optional(.evidenceData), !evidenceData.isObject {
            throw .wrongType(field: "evidence_data", expected: "an object", found: evidenceData.typeName)
        }
        var importantEvidence: EvidenceRow?
        if let display = fields.optional(.evidenceDisplay) { importantEvidence = try decodeImportantEvidence(display) }
        let typeID = try fields.require(.type).requireInteger("type")
        guard let typeIDInt = Int(exactly: typeID), registry.type(id: typeIDInt) != nil else { throw .unknownGroupType(Int(clamping: typeID)) }
        let detectionTime = try PlausibleTime(now: clock.now(), maxSecondsAhead: limits.maxSecondsAhead)
            .seconds(fields.require(.detectionTime), field: "detection_time")
        let level = try decodeLevel(fields.optional(.level))
        let (eventID, event) = try decodeEventID(fields, projectID: projectID)
        let resourceID = try fields.optionalString(.resourceID)
        let priority = try decodePriority(fields.optional(.initialIssuePriority))
        let assignee = try fields.optionalString(.assignee)
        let user = try decodeUser(event)
        return Occurrence(
            idBytes: id, projectID: projectID, fingerprint: fingerprint, title: title, subtitle: subtitle, culprit: culprit,
            importantEvidence: importantEvidence, typeID: typeIDInt, detectionTime: detectionTime, level: level,
            eventIDBytes: eventID, resourceID: resourceID, initialPriority: priority,
            assignee: assignee.flatMap(Assignee.normalize), user: user, raw: raw)
    }

    private func decodeStatusChange(_ fields: TopLevelFields) throws(PayloadError) -> StatusChange {
        let id = try fields.optionalString(.id)
        let projectID = try fields.require(.projectID).requireInteger("project_id")
        let fingerprint = try decodeFingerprint(fields.require(.fingerprint))
        let statusNumber = try fields.require(.newStatus).requireInteger("new_status")
        guard let status = GroupStatus(rawValue: Int(clamping: statusNumber)) else {
            throw .invalidValue(field: "new_status", reason: "\(statusNumber) is not a status (0 unresolved, 1 resolved, 2 ignored)")
        }
        let substatusValue = try fields.optionalInteger(.newSubstatus)
        var substatus: GroupSubstatus?
        if let substatusValue {
            guard let known = GroupSubstatus(rawValue: Int(clamping: substatusValue)) else {
                throw .invalidValue(field: "new_substatus", reason: "\(substatusValue) is not a substatus (1–7)")
            }
            substatus = known
        }
        if substatus == .new {
            throw .disallowedStatus(field: "new_substatus", reason: "NEW (7) is set only when a group is created")
        }
        guard let state = GroupState(status: status, substatus: substatus) else {
            let reason = switch status {
            case .resolved: "RESOLVED takes no substatus, found \(substatus!.name)"
            case .unresolved: "UNRESOLVED needs substatus ONGOING, ESCALATING or REGRESSED, found \(substatus?.name ?? "null")"
            case .ignored: "IGNORED needs substatus UNTIL_ESCALATING, UNTIL_CONDITION_MET or FOREVER, found \(substatus?.name ?? "null")"
            }
            throw .disallowedStatus(field: "new_substatus", reason: reason)
        }
        return StatusChange(id: id, projectID: projectID, fingerprint: fingerprint, newState: state)
    }

    private func decodeFingerprint(_ value: JSONValue) throws(PayloadError) -> [String] {
        guard value.isArray else { throw .wrongType(field: "fingerprint", expected: "an array of strings", found: value.typeName) }
        var fingerprint: [String] = []
        for (index, element) in value.elements.enumerated() {
            let text = try element.requireString("fingerprint[\(index)]")
            if text.isEmpty { throw .empty(field: "fingerprint[\(index)]") }
            fingerprint.append(text)
        }
        if fingerprint.isEmpty { throw .empty(field: "fingerprint") }
        return fingerprint
    }

    /// Checks every row and returns the first one marked important, the only one made into
    /// strings. One pass over each row's members; the row's path is spelled out only for an error
    /// (building it for every row was a tenth of decoding).
    private func decodeImportantEvidence(_ value: JSONValue) throws(PayloadError) -> EvidenceRow? {
        guard value.isArray else { throw .wrongType(field: "evidence_display", expected: "an array", found: value.typeName) }
        var importantRow: EvidenceRow?
        var index = 0
        for row in value.elements {
            defer { index += 1 }
            func path() -> String { "evidence_display[\(index)]" }
            guard row.isObject else { throw .wrongType(field: path(), expected: "an object", found: row.typeName) }
            var name: JSONValue?, text: JSONValue?, important: JSONValue?
            for member in row.members {
                if name == nil, member.keyEquals("name") { name = member.value }
                else if text == nil, member.keyEquals("value") { text = member.value }
                else if important == nil, member.keyEquals("important") { important = member.value }
            }
            guard let name else { throw .missingField("\(path()).name") }
            guard let text else { throw .missingField("\(path()).value") }
            guard let important else { throw .missingField("\(path()).important") }
            guard let flag = important.bool else {
                throw .wrongType(field: "\(path()).important", expected: "a boolean", found: important.typeName)
            }
            guard name.isString else { throw .wrongType(field: "\(path()).name", expected: "a string", found: name.typeName) }
            guard text.isString else { throw .wrongType(field: "\(path()).value", expected: "a string", found: text.typeName) }
            if flag, importantRow == nil {
                importantRow = EvidenceRow(name: try name.requireString("\(path()).name"), value: try text.requireString("\(path()).value"), important: true)
            }
        }
        return importantRow
    }

    private func decodeLevel(_ value: JSONValue?) throws(PayloadError) -> Level {
        guard let value else { return .info }
        let text = try value.requireString("level")
        guard let level = Level(rawValue: text) else {
            throw .invalidValue(field: "level", reason: "\(Sanitized.quote(text)) is not one of debug, info, warning, error, fatal")
        }
        return level
    }

    private func decodePriority(_ value: JSONValue?) throws(PayloadError) -> Int? {
        guard let value else { return nil }
        let number = try value.requireInteger("initial_issue_priority")
        guard let priority = Int(exactly: number), Priority.allowed.contains(priority) else {
            throw .invalidValue(field: "initial_issue_priority", reason: "\(number) is not a priority (\(Priority.allowedDescription))")
        }
        return priority
    }

    /// Who saw it, for "N distinct users" conditions: the first present of `event.user`'s id, email,
    /// username and ip_address, prefixed with which it was so an id never equals an email.
    private func decodeUser(_ event: EventFields?) throws(PayloadError) -> String? {
        guard let user = event?.user, !user.isNull else { return nil }
        guard user.isObject else { throw .wrongType(field: "event.user", expected: "an object", found: user.typeName) }
        for key in Self.userKeys {
            guard let value = user[key], !value.isNull else { continue }
            if let text = value.string, !text.isEmpty { return "\(key):\(text)" }
            if value.isNumber { return "\(key):\(String(decoding: value.rawJSON, as: UTF8.self))" }
            throw .wrongType(field: "event.user.\(key)", expected: "a string or a number", found: value.typeName)
        }
        return nil
    }

    private static let userKeys = ["id", "email", "username", "ip_address"]

    /// `event_id` and/or `event`: at least one; their ids and project must agree. The event's
    /// members are returned too, for the user.
    private func decodeEventID(_ fields: TopLevelFields, projectID: Int64) throws(PayloadError) -> (UUIDBytes, EventFields?) {
        let topLevelID = try fields.optional(.eventID)?.requireUUID("event_id")
        guard let eventValue = fields.optional(.event) else {
            guard let topLevelID else { throw .invalidValue(field: "event_id", reason: "an occurrence needs event_id, event, or both; found neither") }
            return (topLevelID, nil)
        }
        let event = try EventFields(eventValue)
        // Sentry's consumer refuses an event without its own id, even beside a top-level one.
        guard let inner = event.eventID, !inner.isNull else { throw .missingField("event.event_id") }
        let innerID = try inner.requireUUID("event.event_id")
        guard let eventProject = event.projectID else { throw .missingField("event.project_id") }
        let eventProjectID = try eventProject.requireInteger("event.project_id")
        guard eventProjectID == projectID else {
            throw .invalidValue(field: "event.project_id", reason: "is \(eventProjectID) but the occurrence's project_id is \(projectID)")
        }
        try requireEventField(event.platform, "platform", expected: "a string") { $0.isString }
        try requireEventField(event.tags, "tags", expected: "an object") { $0.isObject }
        try requireEventField(event.timestamp, "timestamp", expected: "a number or a string") { $0.isNumber || $0.isString }
        if let received = event.received, !received.isNull, !(received.isNumber || received.isString) {
            throw .wrongType(field: "event.received", expected: "a number or a string", found: received.typeName)
        }
        if let topLevelID, topLevelID != innerID {
            throw .invalidValue(field: "event.event_id", reason: "is \(innerID.hex) but event_id is \(topLevelID.hex)")
        }
        return (innerID, event)
    }

    private func requireEventField(_ value: JSONValue?, _ key: String, expected: String,
                                   _ isValid: (JSONValue) -> Bool) throws(PayloadError) {
        guard let value, !value.isNull else { throw .missingField("event.\(key)") }
        guard isValid(value) else { throw .wrongType(field: "event.\(key)", expected: expected, found: value.typeName) }
    }
}

/// The members of `event` that triage checks, found in one pass over it (the first of a repeated
/// key, as a lookup by key would find).
private struct EventFields {
    var eventID, projectID, platform, tags, timestamp, received, user: JSONValue?

    init(_ event: JSONValue) throws(PayloadError) {
        guard event.isObject else { throw .wrongType(field: "event", expected: "an object", found: event.typeName) }
        for member in event.members {
            if member.keyEquals("event_id") { eventID = eventID ?? member.value }
            else if member.keyEquals("project_id") { projectID = projectID ?? member.value }
            else if member.keyEquals("platform") { platform = platform ?? member.value }
            else if member.keyEquals("tags") { tags = tags ?? member.value }
            else if member.keyEquals("timestamp") { timestamp = timestamp ?? member.value }
            else if member.keyEquals("received") { received = received ?? member.value }
            else if member.keyEquals("user") { user = user ?? member.value }
        }
    }
}

/// The occurrence's assignee forms; anything else is dropped (a bad assignee is not worth losing the occurrence).
enum Assignee {
    static func normalize(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        // It must also be a name `assign` could set and `assigned:` could find: stored without
        // Sentry's actor prefix, as `AssigneeName` keeps every name.
        guard let name = try? AssigneeName.validate(trimmed) else { return nil }
        if name != trimmed { return name }
        if name.allSatisfy(\.isNumber) { return name }
        let parts = name.split(separator: "@", omittingEmptySubsequences: false)
        if parts.count == 2, !parts[0].isEmpty, parts[1].contains(".") { return name }
        return nil
    }
}

extension JSONValue {
    // Field paths are autoclosures: most name an array element, and interpolating one for every
    // value read cost more than reading it.
    func requireString(_ field: @autoclosure () -> String) throws(PayloadError) -> String {
        guard let text = string else { throw .wrongType(field: field(), expected: "a string", found: typeName) }
        return text
    }

    func requireInteger(_ field: @autoclosure () -> String) throws(PayloadError) -> Int64 {
        guard isInteger else { throw .wrongType(field: field(), expected: "an integer", found: typeName) }
        guard let value = int64 else { throw .invalidValue(field: field(), reason: "integer is out of the 64-bit range") }
        return value
    }

    /// Plain hex digits are read straight from the document; other forms go through `UUIDText`.
    func requireUUID(_ field: @autoclosure () -> String) throws(PayloadError) -> UUIDBytes {
        if let id = plainHexUUID { return id }
        let text = try requireString(field())
        guard let id = UUIDText.normalize(text) else { throw .invalidUUID(field: field(), value: text) }
        return UUIDBytes(hex: id)
    }
}
