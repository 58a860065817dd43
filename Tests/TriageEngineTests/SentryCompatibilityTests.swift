import Foundation
import Testing
@testable import TriageEngine
import TriageTestSupport

/// The cases Sentry's own occurrence-consumer tests exercise, each ending as Sentry's consumer does:
/// accepted where it accepts, refused (naming the field) where it refuses. The messages are built
/// the way its test helper builds them: ISO times from a naive `datetime.now()`, no culprit, no
/// level, an event with a stack trace and keys triage does not read.
@Suite struct SentryCompatibilityTests {
    /// 2026-09-21T14:13:20 UTC, the workspace's clock.
    static let now = 1_790_000_000.0
    static let isoNow = "2026-09-21T14:13:20.123456"

    /// A message shaped like the one Sentry's consumer test suite sends, as a JSON object.
    static func sentryMessage(id: String = "5a0fbb2a58b84ee29d8e2a55e2b9e8b1", project: Int = 1,
                              eventID: String = "a24bd8c3c5a04c7da1a8ae2d7d4c22f0") -> [String: Any] {
        [
            "id": id,
            "project_id": project,
            "fingerprint": ["touch-id"],
            "issue_title": "segfault",
            "subtitle": "buffer overflow",
            "resource_id": "12345",
            "evidence_data": ["Line": 40],
            "evidence_display": [["name": "Line", "value": "40", "important": true],
                                 ["name": "Memory", "value": "breached", "important": false]],
            "type": 2001,
            "detection_time": isoNow,
            "event": [
                "event_id": eventID,
                "project_id": project,
                "title": "some problem",
                "platform": "python",
                "tags": ["my_tag": "2"],
                "timestamp": isoNow,
                "received": isoNow,
                "stacktrace": ["frames": [["function": "0x0", "in_app": false, "data": ["symbolicated": true]]]],
            ] as [String: Any],
        ]
    }

    static func json(_ message: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: message, options: [.sortedKeys]), as: UTF8.self)
    }

    static func with(_ message: [String: Any], event edit: (inout [String: Any]) -> Void) -> [String: Any] {
        var copy = message
        var event = copy["event"] as! [String: Any]
        edit(&event)
        copy["event"] = event
        return copy
    }

    private func ingest(_ messages: [String: Any]...) throws -> (Workspace, IngestReport) {
        let workspace = try Workspace(now: Self.now)
        for (index, message) in messages.enumerated() { workspace.drop("sentry-\(index).json", Self.json(message)) }
        let report = try workspace.ingest()
        return (workspace, report)
    }

    /// The field Sentry's consumer would refuse this message over, as triage names it.
    private func refusal(_ message: [String: Any]) throws -> String? {
        let (_, report) = try ingest(message)
        #expect(report.accepted == 0)
        #expect(report.rejected == 1)
        return report.notes.first?.field
    }

    @Test func test_acceptsSentrysTestMessageAsSent() throws {
        let message = Self.sentryMessage()
        let (workspace, report) = try ingest(message)
        #expect(report.accepted == 1)
        #expect(report.rejected == 0)
        let group = try #require(try workspace.groups().first)
        #expect(group.title == "segfault")
        #expect(group.subtitle == "buffer overflow")
        #expect(group.culprit == "")
        #expect(group.level == .info)
        #expect(group.priority == GroupTypeRegistry.builtIn.type(id: 2001)?.defaultPriority)
        #expect(group.importantEvidence == EvidenceRow(name: "Line", value: "40", important: true))
        // A zone-less ISO time is UTC, fractions kept.
        #expect(abs(group.lastSeen - (Self.now + 0.123456)) < 1e-6)
        // Stored as received, so `show --json` returns the original bytes, stack trace and all.
        #expect(try workspace.store.details(of: group.id).payload == Array(Self.json(message).utf8))
    }

    @Test func test_idsWithAndWithoutDashesInAnyCaseAreOneOccurrence() throws {
        let plain = Self.sentryMessage(id: "5a0fbb2a58b84ee29d8e2a55e2b9e8b1")
        let dashed = Self.sentryMessage(id: "5A0FBB2A-58B8-4EE2-9D8E-2A55E2B9E8B1")
        let (workspace, report) = try ingest(plain, dashed)
        #expect(report.accepted == 1)
        #expect(report.duplicates == 1)
        #expect(try workspace.groups().first?.timesSeen == 1)
    }

    @Test func test_refusesNonUUIDsNamingTheField() throws {
        #expect(try refusal(Self.sentryMessage(id: "hi")) == "id")
        #expect(try refusal(Self.sentryMessage().merging(["event_id": "hi"]) { $1 }) == "event_id")
        #expect(try refusal(Self.sentryMessage(eventID: "hi")) == "event.event_id")
    }

    @Test(arguments: ["project_id", "timestamp", "platform", "tags"])
    func test_refusesAnEventMissing(_ key: String) throws {
        #expect(try refusal(Self.with(Self.sentryMessage()) { $0[key] = nil }) == "event.\(key)")
    }

    @Test func test_refusesEventMembersOfTheWrongType() throws {
        #expect(try refusal(Self.with(Self.sentryMessage()) { $0["tags"] = "my_tag:2" }) == "event.tags")
        #expect(try refusal(Self.with(Self.sentryMessage()) { $0["platform"] = 3 }) == "event.platform")
        #expect(try refusal(Self.with(Self.sentryMessage()) { $0["project_id"] = "1" }) == "event.project_id")
        #expect(try refusal(Self.with(Self.sentryMessage()) { $0["project_id"] = 2 }) == "event.project_id")
    }

    @Test func test_refusesDisagreeingOrMissingEventIDs() throws {
        let disagreeing = Self.sentryMessage().merging(["event_id": "0f0f0f0f0f0f4f0f8f0f0f0f0f0f0f0f"]) { $1 }
        #expect(try refusal(disagreeing) == "event.event_id")
        var neither = Self.sentryMessage()
        neither["event"] = nil
        #expect(try refusal(neither) == "event_id")
        let eventWithoutID = Self.with(Self.sentryMessage().merging(["event_id": "a24bd8c3c5a04c7da1a8ae2d7d4c22f0"]) { $1 }) {
            $0["event_id"] = nil
        }
        #expect(try refusal(eventWithoutID) == "event.event_id")
    }

    @Test func test_acceptsATopLevelEventIDThatAgreesWithTheEvents() throws {
        let agreeing = Self.sentryMessage().merging(["event_id": "A24BD8C3-C5A0-4C7D-A1A8-AE2D7D4C22F0"]) { $1 }
        #expect(try ingest(agreeing).1.accepted == 1)
    }

    @Test func test_refusesAnUnknownType() throws {
        #expect(try refusal(Self.sentryMessage().merging(["type": 424_242]) { $1 }) == "type")
    }

    @Test func test_showsAGivenCulpritAsGiven() throws {
        let (workspace, _) = try ingest(Self.sentryMessage().merging(["culprit": "api/auth.py in login"]) { $1 })
        #expect(try workspace.groups().first?.culprit == "api/auth.py in login")
    }

    @Test func test_initialPriorityGivenOrNull() throws {
        let (high, _) = try ingest(Self.sentryMessage().merging(["initial_issue_priority": 75]) { $1 })
        #expect(try high.groups().first?.priority == 75)
        let (defaulted, _) = try ingest(Self.sentryMessage().merging(["initial_issue_priority": NSNull()]) { $1 })
        #expect(try defaulted.groups().first?.priority == 25)
    }

    @Test func test_assigneeOnTheCreatingOccurrenceAssignsTheGroup() throws {
        let (workspace, _) = try ingest(Self.sentryMessage().merging(["assignee": "user:42"]) { $1 })
        #expect(try workspace.groups().first?.assignee == "42", "Sentry's user:42 is the assignee 42, as assign --to and assigned: name it")
    }

    @Test func test_absentOrNullOptionalFieldsMeanEmpty() throws {
        var message = Self.sentryMessage()
        message["evidence_data"] = NSNull()
        message["evidence_display"] = nil
        message["culprit"] = NSNull()
        let (workspace, report) = try ingest(message)
        #expect(report.accepted == 1)
        let group = try #require(try workspace.groups().first)
        #expect(group.culprit == "")
        #expect(group.importantEvidence == nil)
    }

    @Test func test_keepsKeysTriageDoesNotRead() throws {
        let message = Self.sentryMessage().merging(["transaction_duration": 12.5, "resource_id": "r-1"]) { $1 }
        let (workspace, _) = try ingest(message)
        let group = try #require(try workspace.groups().first)
        let stored = try #require(try workspace.store.details(of: group.id).payload)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(stored)) as? [String: Any])
        #expect(object["transaction_duration"] as? Double == 12.5)
        #expect((object["event"] as? [String: Any])?["stacktrace"] != nil)
    }

    @Test func test_detectionTimeAsNumberOrISOStringWithZones() throws {
        let forms: [(Any, Double)] = [
            (Self.now, Self.now),
            ("2026-09-21T14:13:20Z", Self.now),
            ("2026-09-21T16:13:20+02:00", Self.now),
            ("2026-09-21T09:13:20.5-0500", Self.now + 0.5),
            ("2026-09-21 14:13:20", Self.now),
        ]
        for (value, expected) in forms {
            let (workspace, report) = try ingest(Self.sentryMessage().merging(["detection_time": value]) { $1 })
            #expect(report.accepted == 1, "\(value)")
            #expect(try workspace.groups().first.map { abs($0.lastSeen - expected) < 1e-6 } == true, "\(value)")
        }
    }
}
