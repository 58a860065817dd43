import Testing
@testable import TriageEngine
import TriageTestSupport

@Suite struct PayloadDecoderTests {
    let decoder = PayloadDecoder(registry: .builtIn)

    private func occurrence(_ builder: PayloadBuilder) throws -> Occurrence {
        guard case let .occurrence(occurrence) = try decoder.decode(builder.bytes) else {
            throw TransitionRefusal(reason: "not an occurrence")
        }
        return occurrence
    }

    private func error(_ json: String) -> PayloadError? { error(Array(json.utf8)) }

    private func error(_ bytes: [UInt8]) -> PayloadError? {
        do {
            _ = try decoder.decode(bytes)
            return nil
        } catch { return error }
    }

    @Test func test_decodesEveryOccurrenceField() throws {
        let payload = PayloadBuilder(id: 7, project: 42, fingerprint: "checkout", type: 1001, time: 1_790_000_123.25, level: "warning")
            .with("id", "\"{00000000-0000-0000-0000-0000000007AB}\"")
            .with("resource_id", "\"res-9\"")
            .with("initial_issue_priority", "75")
            .with("assignee", "\"team:oncall\"")
            .with("payload_type", "\"occurrence\"")
            .with("unknown_extra_key", #"{"kept": "in raw"}"#)
        let occurrence = try occurrence(payload)
        #expect(occurrence.id == "000000000000000000000000000007ab")
        #expect(occurrence.projectID == 42)
        #expect(occurrence.fingerprint == ["checkout", "secondary"])
        #expect(occurrence.groupFingerprint == "checkout")
        #expect(occurrence.title == "TypeError: boom")
        #expect(occurrence.subtitle == "sub")
        #expect(occurrence.culprit == "app.py in main")
        #expect(occurrence.evidenceDisplay == [EvidenceRow(name: "Reason", value: "boom", important: true),
                                               EvidenceRow(name: "Host", value: "h1", important: false)])
        #expect(occurrence.importantEvidence?.name == "Reason")
        #expect(occurrence.typeID == 1001)
        #expect(occurrence.detectionTime == 1_790_000_123.25)
        #expect(occurrence.level == .warning)
        #expect(occurrence.eventID == PayloadBuilder.uuid(1_000_007))
        #expect(occurrence.resourceID == "res-9")
        #expect(occurrence.initialPriority == 75)
        #expect(occurrence.assignee == "oncall", "stored without Sentry's actor prefix")
        #expect(occurrence.raw == payload.bytes)
    }

    @Test func test_defaultsAbsentOrNullLevelToInfo() throws {
        #expect(try occurrence(PayloadBuilder(level: nil)).level == .info)
        #expect(try occurrence(PayloadBuilder().with("level", "null")).level == .info)
    }

    @Test func test_normalizesUUIDFormsToLowercaseHex() {
        #expect(UUIDText.normalize("6F1B3A2C-0D4E-4F5A-8B6C-7D8E9FA0B1C2") == "6f1b3a2c0d4e4f5a8b6c7d8e9fa0b1c2")
        #expect(UUIDText.normalize("urn:uuid:6f1b3a2c-0d4e-4f5a-8b6c-7d8e9fa0b1c2") == "6f1b3a2c0d4e4f5a8b6c7d8e9fa0b1c2")
        #expect(UUIDText.normalize("{6f1b3a2c0d4e4f5a8b6c7d8e9fa0b1c2}") == "6f1b3a2c0d4e4f5a8b6c7d8e9fa0b1c2")
        #expect(UUIDText.normalize("6f1b3a2c0d4e4f5a8b6c7d8e9fa0b1c") == nil)
        #expect(UUIDText.normalize("6f1b3a2c0d4e4f5a8b6c7d8e9fa0b1c2a") == nil)
        #expect(UUIDText.normalize("zz1b3a2c0d4e4f5a8b6c7d8e9fa0b1c2") == nil)
    }

    @Test func test_eventSuppliesTheEventIDAndMustAgree() throws {
        let event = #"{"event_id":"\#(PayloadBuilder.uuid(5))","project_id":1,"platform":"python","environment":"prod","received":1,"timestamp":"2026-01-01T00:00:00Z","tags":{},"user":{"id":"u"}}"#
        let withEvent = PayloadBuilder().without("event_id").with("event", event)
        #expect(try occurrence(withEvent).eventID == PayloadBuilder.uuid(5))
        #expect(error(PayloadBuilder().with("event", event).json) ==
            .invalidValue(field: "event.event_id", reason: "is \(PayloadBuilder.uuid(5)) but event_id is \(PayloadBuilder.uuid(1_000_001))"))
        let otherProject = event.replacingOccurrences(of: "\"project_id\":1", with: "\"project_id\":2")
        #expect(error(withEvent.with("event", otherProject).json) ==
            .invalidValue(field: "event.project_id", reason: "is 2 but the occurrence's project_id is 1"))
        for key in ["platform", "timestamp", "tags", "project_id"] {
            let stripped = event.replacingOccurrences(of: "\"\(key)\":", with: "\"x_\(key)\":")
            #expect(error(withEvent.with("event", stripped).json) == .missingField("event.\(key)"), "event.\(key)")
        }
        // Sentry's event schema requires neither; `received` defaults to the ingest time.
        for key in ["environment", "received"] {
            let stripped = event.replacingOccurrences(of: "\"\(key)\":", with: "\"x_\(key)\":")
            #expect(error(withEvent.with("event", stripped).json) == nil, "event.\(key)")
        }
        let badTags = event.replacingOccurrences(of: "\"tags\":{}", with: "\"tags\":[]")
        #expect(error(withEvent.with("event", badTags).json) == .wrongType(field: "event.tags", expected: "an object", found: "array"))
        #expect(error(withEvent.with("event", "[]").json) == .wrongType(field: "event", expected: "an object", found: "array"))
        let noInnerID = event.replacingOccurrences(of: "\"event_id\":", with: "\"x_event_id\":")
        #expect(error(withEvent.with("event", noInnerID).json) == .missingField("event.event_id"))
    }

    @Test func test_rejectsEachBadFieldWithItsExactError() {
        let base = PayloadBuilder()
        let cases: [(String, PayloadError)] = [
            (base.without("issue_title").json, .missingField("issue_title")),
            (base.without("subtitle").json, .missingField("subtitle")),
            (base.without("detection_time").json, .missingField("detection_time")),
            (base.without("type").json, .missingField("type")),
            (base.without("id").json, .missingField("id")),
            (base.without("event_id").json,
             .invalidValue(field: "event_id", reason: "an occurrence needs event_id, event, or both; found neither")),
            (base.with("issue_title", "\"\"").json, .empty(field: "issue_title")),
            (base.with("issue_title", "\" \\n\\t \"").json,
             .invalidValue(field: "issue_title", reason: "is only whitespace; a title must say something")),
            (base.with("issue_title", "null").json, .wrongType(field: "issue_title", expected: "a string", found: "null")),
            (base.with("project_id", "\"1\"").json, .wrongType(field: "project_id", expected: "an integer", found: "string")),
            (base.with("project_id", "1.5").json, .wrongType(field: "project_id", expected: "an integer", found: "number")),
            (base.with("project_id", "true").json, .wrongType(field: "project_id", expected: "an integer", found: "boolean")),
            (base.with("project_id", "99999999999999999999").json, .invalidValue(field: "project_id", reason: "integer is out of the 64-bit range")),
            (base.with("fingerprint", "[]").json, .empty(field: "fingerprint")),
            (base.with("fingerprint", "[\"a\", \"\"]").json, .empty(field: "fingerprint[1]")),
            (base.with("fingerprint", "[\"a\", 3]").json, .wrongType(field: "fingerprint[1]", expected: "a string", found: "integer")),
            (base.with("fingerprint", "\"a\"").json, .wrongType(field: "fingerprint", expected: "an array of strings", found: "string")),
            (base.with("type", "4242").json, .unknownGroupType(4242)),
            (base.with("level", "\"critical\"").json,
             .invalidValue(field: "level", reason: "\"critical\" is not one of debug, info, warning, error, fatal")),
            (base.with("detection_time", "\"yesterday\"").json,
             .invalidValue(field: "detection_time", reason: "\"yesterday\" is not an ISO 8601 date-time such as 2026-12-07T04:28:59Z")),
            (base.with("detection_time", "-5").json,
             .invalidValue(field: "detection_time", reason: "is before 1970 (1969-12-31T23:59:55.000Z); expected Unix seconds")),
            (base.with("detection_time", "[1]").json,
             .wrongType(field: "detection_time", expected: "a number (Unix seconds) or an ISO 8601 string", found: "array")),
            (base.with("evidence_data", "[]").json, .wrongType(field: "evidence_data", expected: "an object", found: "array")),
            (base.with("evidence_display", #"[{"name":"a","value":"b"}]"#).json, .missingField("evidence_display[0].important")),
            (base.with("evidence_display", #"[{"name":"a","value":"b","important":"yes"}]"#).json,
             .wrongType(field: "evidence_display[0].important", expected: "a boolean", found: "string")),
            (base.with("evidence_display", #"[{"name":"a","value":1,"important":true}]"#).json,
             .wrongType(field: "evidence_display[0].value", expected: "a string", found: "integer")),
            (base.with("evidence_display", "[3]").json, .wrongType(field: "evidence_display[0]", expected: "an object", found: "integer")),
            (base.with("id", "\"not-a-uuid\"").json, .invalidUUID(field: "id", value: "not-a-uuid")),
            (base.with("event_id", "\"xyz\"").json, .invalidUUID(field: "event_id", value: "xyz")),
            (base.with("initial_issue_priority", "60").json,
             .invalidValue(field: "initial_issue_priority", reason: "60 is not a priority (25 low, 50 medium, 75 high, or 0)")),
            (base.with("payload_type", "\"metric\"").json, .unknownPayloadType("metric")),
            ("[1, 2]", .notAnObject(found: "array")),
            (#"{"id": "a", "id": "b"}"#, .duplicateKey("id")),
        ]
        for (json, expected) in cases {
            #expect(error(json) == expected, "\(json)")
        }
    }

    @Test func test_malformedAssigneeIsDroppedNotRejected() throws {
        #expect(try occurrence(PayloadBuilder().with("assignee", "\"not valid!\"")).assignee == nil)
        #expect(try occurrence(PayloadBuilder().with("assignee", "\"oncall@example.com\"")).assignee == "oncall@example.com")
        #expect(try occurrence(PayloadBuilder().with("assignee", "\"12\"")).assignee == "12")
    }

    @Test func test_limitsRefuseHugeAndDeepPayloads() {
        let hugeTitle = PayloadBuilder().with("issue_title", "\"" + String(repeating: "x", count: 5_000_000) + "\"")
        #expect(error(hugeTitle.json) == .tooLarge(size: hugeTitle.bytes.count, limit: 1 << 20))
        let deep = String(repeating: "{\"a\":", count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        guard case let .syntax(syntax)? = error(PayloadBuilder().with("evidence_data", deep).json) else {
            Issue.record("expected a syntax error")
            return
        }
        #expect(syntax.reason == .tooDeep(limit: 64))
    }

    @Test func test_invalidUTF8InATitleIsRejected() {
        var bytes = PayloadBuilder(title: "Boom#").bytes
        bytes[bytes.firstIndex(of: UInt8(ascii: "#"))!] = 0xFF
        guard case let .syntax(syntax)? = error(bytes) else {
            Issue.record("expected a syntax error")
            return
        }
        #expect(syntax.reason == .invalidUTF8)
        #expect(PayloadError.syntax(syntax).description.hasPrefix("invalid UTF-8 at byte"))
    }

    @Test func test_statusChangesFollowTheSpecPairs() throws {
        guard case let .statusChange(change) = try decoder.decode(Array(statusChangeJSON(status: 2, substatus: 5).utf8)) else {
            Issue.record("expected a status change")
            return
        }
        #expect(change.newState == GroupState(status: .ignored, substatus: .forever))
        #expect(change.fingerprint == ["fp-1"])
        let cases: [(Int, Int?, PayloadError)] = [
            (0, 7, .disallowedStatus(field: "new_substatus", reason: "NEW (7) is set only when a group is created")),
            (1, 3, .disallowedStatus(field: "new_substatus", reason: "RESOLVED takes no substatus, found ongoing")),
            (0, nil, .disallowedStatus(field: "new_substatus", reason: "UNRESOLVED needs substatus ONGOING, ESCALATING or REGRESSED, found null")),
            (2, 3, .disallowedStatus(field: "new_substatus", reason: "IGNORED needs substatus UNTIL_ESCALATING, UNTIL_CONDITION_MET or FOREVER, found ongoing")),
            (5, nil, .invalidValue(field: "new_status", reason: "5 is not a status (0 unresolved, 1 resolved, 2 ignored)")),
            (0, 9, .invalidValue(field: "new_substatus", reason: "9 is not a substatus (1–7)")),
        ]
        for (status, substatus, expected) in cases {
            #expect(error(statusChangeJSON(status: status, substatus: substatus)) == expected, "\(status)/\(String(describing: substatus))")
        }
        #expect(error(#"{"payload_type":"status_change","project_id":1,"fingerprint":[],"new_status":1}"#) == .empty(field: "fingerprint"))
    }

    @Test func test_errorDescriptionsNameTheField() {
        #expect(PayloadError.missingField("issue_title").description == "issue_title: required field is missing")
        #expect(PayloadError.unknownPayloadType("x\u{1B}[2J").description.contains("\\u{1b}"), "control characters never echo raw")
    }
}
