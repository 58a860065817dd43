import Foundation
import GRDB
import Testing
@testable import TriageEngine
import TriageTestSupport

@Suite struct GroupingTests {
    @Test func test_groupsByProjectAndFirstFingerprint() throws {
        let workspace = try Workspace()
        workspace.drop("a.jsonl", [
            PayloadBuilder(id: 1, project: 1, fingerprint: "fp-a").json,
            PayloadBuilder(id: 2, project: 1, fingerprint: "fp-a").json,
            PayloadBuilder(id: 3, project: 2, fingerprint: "fp-a").json,
            PayloadBuilder(id: 4, project: 1, fingerprint: "fp-b").json,
        ].joined(separator: "\n"))
        let report = try workspace.ingest()
        #expect(report.accepted == 4)
        #expect(report.groupsCreated == 3)
        let groups = try workspace.groups()
        #expect(groups.count == 3)
        let shared = try #require(groups.first { $0.projectID == 1 && $0.fingerprint == "fp-a" })
        #expect(shared.timesSeen == 2)
        #expect(groups.first { $0.projectID == 2 }?.timesSeen == 1)
    }

    @Test func test_newestOccurrenceSetsTitleAndTimesSpanAllOccurrences() throws {
        let workspace = try Workspace()
        workspace.drop("a.jsonl", [
            PayloadBuilder(id: 1, time: 2000, title: "middle", level: "warning").json,
            PayloadBuilder(id: 2, time: 3000, title: "newest", level: "fatal").with("initial_issue_priority", "75").json,
            PayloadBuilder(id: 3, time: 1000, title: "oldest", level: "debug").json,
        ].joined(separator: "\n"))
        try workspace.ingest()
        let group = try #require(try workspace.groups().first)
        #expect(group.title == "newest")
        #expect(group.level == .fatal)
        #expect(group.priority == 75)
        #expect(group.firstSeen == 1000)
        #expect(group.lastSeen == 3000)
        #expect(group.timesSeen == 3)
        #expect(group.state == .new)
        #expect(group.importantEvidence == EvidenceRow(name: "Reason", value: "boom", important: true))
        // A later, older occurrence changes the count but not the newest fields.
        workspace.drop("b.json", PayloadBuilder(id: 4, time: 1500, title: "late but old").json)
        try workspace.ingest()
        let updated = try #require(try workspace.groups().first)
        #expect(updated.title == "newest")
        #expect(updated.timesSeen == 4)
    }

    @Test func test_duplicateOccurrenceIDsCountOnceAcrossFilesAndRuns() throws {
        let workspace = try Workspace()
        let payload = PayloadBuilder(id: 9).json
        let uppercaseDashed = PayloadBuilder(id: 9).with("id", "\"00000000-0000-0000-0000-000000000009\"").json
        workspace.drop("a.jsonl", payload + "\n" + payload)
        workspace.drop("b.json", uppercaseDashed)
        let first = try workspace.ingest()
        #expect(first.accepted == 1)
        #expect(first.duplicates == 2)
        workspace.drop("c.json", payload)
        let second = try workspace.ingest()
        #expect(second.duplicates == 1)
        #expect(try workspace.groups().first?.timesSeen == 1)
        #expect(try workspace.count("SELECT count(*) FROM occurrences") == 1)
    }

    @Test func test_occurrenceOfAnotherTypeForAGroupIsRejected() throws {
        let workspace = try Workspace()
        workspace.drop("a.jsonl", PayloadBuilder(id: 1, type: 1).json + "\n" + PayloadBuilder(id: 2, type: 4001).json)
        let report = try workspace.ingest()
        #expect(report.rejected == 1)
        #expect(report.notes.first?.field == "type")
        #expect(report.notes.first?.reason == "is 4001 but group P1-1 for this fingerprint has type 1 (error)")
    }

    @Test func test_newGroupStartsWithTypeDefaultPriorityAndHistory() throws {
        let workspace = try Workspace()
        workspace.drop("a.json", PayloadBuilder(type: 4001).json)
        try workspace.ingest()
        let group = try #require(try workspace.groups().first)
        #expect(group.priority == 75)
        let details = try workspace.store.details(of: group.id)
        #expect(details.history.map(\.cause) == ["occurrence:new_group"])
        #expect(details.payload == PayloadBuilder(type: 4001).bytes)
    }
}

@Suite struct NoiseTests {
    /// Type 1006 (N+1 DB queries) holds occurrences until 3 arrive with no gap over 24 hours.
    private func payload(_ id: Int, _ time: Double) -> String {
        PayloadBuilder(id: id, fingerprint: "n+1", type: 1006, time: time).json
    }

    @Test func test_holdsBelowTheLimitThenAttachesHeldOccurrences() throws {
        let workspace = try Workspace()
        workspace.drop("a.jsonl", payload(1, 1000) + "\n" + payload(2, 2000))
        let first = try workspace.ingest()
        #expect(first.accepted == 2)
        #expect(first.noiseHeld == 2)
        #expect(try workspace.groups().isEmpty)
        #expect(try workspace.count("SELECT count(*) FROM occurrences WHERE group_id IS NULL") == 2)
        workspace.drop("b.json", payload(3, 3000))
        let second = try workspace.ingest()
        #expect(second.groupsCreated == 1)
        #expect(second.noiseHeld == 0)
        #expect(second.noiseReleased == 2, "the first pass's held occurrences, counted where they are released")
        let group = try #require(try workspace.groups().first)
        #expect(group.timesSeen == 3)
        #expect(group.firstSeen == 1000)
        #expect(group.lastSeen == 3000)
        #expect(try workspace.count("SELECT count(*) FROM occurrences WHERE group_id IS NULL") == 0)
    }

    @Test func test_aGapLongerThanTheWindowResetsTheCountAndKeepsOldOnesHeld() throws {
        let workspace = try Workspace()
        let day = 86_400.0
        workspace.drop("a.jsonl", [
            payload(1, 0), payload(2, 100),
            payload(3, 100 + day + 1),  // gap over 24h: a new window
            payload(4, 200 + day), payload(5, 300 + day),
        ].joined(separator: "\n"))
        let report = try workspace.ingest()
        #expect(report.accepted == 5)
        #expect(report.groupsCreated == 1)
        #expect(report.noiseHeld == 4, "four arrived below the limit")
        #expect(report.noiseReleased == 2, "the second window's two were attached; the first window's two stay held")
        let group = try #require(try workspace.groups().first)
        #expect(group.timesSeen == 3)
        #expect(group.firstSeen == 100 + day + 1)
        #expect(try workspace.count("SELECT count(*) FROM occurrences WHERE group_id IS NULL AND noise_key IS NOT NULL") == 2)
    }

    @Test func test_exactlyAtTheWindowEdgeStillCounts() throws {
        let workspace = try Workspace()
        workspace.drop("a.jsonl", [payload(1, 0), payload(2, 86_400), payload(3, 172_800)].joined(separator: "\n"))
        #expect(try workspace.ingest().groupsCreated == 1)
    }
}

@Suite struct StatusChangeTests {
    @Test func test_statusChangePayloadAppliesAndRecordsHistory() throws {
        let workspace = try Workspace()
        workspace.drop("a.json", PayloadBuilder().json)
        workspace.drop("b.json", statusChangeJSON(status: 2, substatus: 5))
        let report = try workspace.ingest()
        #expect(report.statusChanges == 1)
        let group = try #require(try workspace.groups().first)
        #expect(group.state == GroupState(status: .ignored, substatus: .forever))
        let history = try workspace.store.details(of: group.id).history
        #expect(history.last?.cause == "payload")
        #expect(history.last?.from == .new)
    }

    @Test func test_statusChangeToTheCurrentStateDoesNothing() throws {
        let workspace = try Workspace()
        workspace.drop("a.json", PayloadBuilder().json)
        workspace.drop("b.jsonl", statusChangeJSON(status: 1, substatus: nil) + "\n" + statusChangeJSON(status: 1, substatus: nil))
        #expect(try workspace.ingest().statusChanges == 1)
        #expect(try workspace.store.details(of: 1).history.count == 2)
    }

    @Test func test_aStatusChangeWithAnIdAppliesOnceEvenWhenItsFileComesBack() throws {
        let workspace = try Workspace()
        let id = "5f0c1a2b3c4d4e5f8a9b0c1d2e3f4a5b"
        // Refused before its group exists: the id is not spent, so the same change applies later.
        workspace.drop("a.json", statusChangeJSON(status: 1, substatus: nil, id: id))
        #expect(try workspace.ingest().rejected == 1)
        workspace.drop("b.json", PayloadBuilder(id: 1).json)
        workspace.drop("c.json", statusChangeJSON(status: 1, substatus: nil, id: id))
        #expect(try workspace.ingest().statusChanges == 1)
        workspace.drop("d.json", PayloadBuilder(id: 2).json)
        try workspace.ingest()
        #expect(try workspace.groups().first?.state == .regressed)
        // The resolve put back into the spool (a replay, a producer's retry) is a duplicate.
        workspace.drop("c.json", statusChangeJSON(status: 1, substatus: nil, id: id.uppercased()))
        let replay = try workspace.ingest()
        #expect(replay.duplicates == 1)
        #expect(replay.statusChanges == 0)
        #expect(try workspace.groups().first?.state == .regressed)
        // Without an id nothing tells a replay from a new change: it applies.
        workspace.drop("e.json", statusChangeJSON(status: 1, substatus: nil))
        #expect(try workspace.ingest().statusChanges == 1)
    }

    @Test func test_statusChangeWithoutAGroupIsRejected() throws {
        let workspace = try Workspace()
        workspace.drop("a.json", statusChangeJSON(fingerprint: "nobody", status: 1, substatus: nil))
        let report = try workspace.ingest()
        #expect(report.rejected == 1)
        #expect(report.notes.first?.description == "a.json: fingerprint: no group in project 1 has fingerprint \"nobody\" yet (a status change applies only after its group's first occurrence; move the failed/ copy back into the spool once that has landed)")
    }

    @Test func test_resolvedGroupRegressesOnNewOccurrenceButIgnoredDoesNot() throws {
        let workspace = try Workspace()
        workspace.drop("a.jsonl", PayloadBuilder(id: 1, fingerprint: "r").json + "\n" + PayloadBuilder(id: 2, fingerprint: "i").json)
        try workspace.ingest()
        let byFingerprint = Dictionary(uniqueKeysWithValues: try workspace.groups().map { ($0.fingerprint, $0.id) })
        _ = try workspace.store.apply(.resolve, to: [byFingerprint["r"]!], actor: "user:test")
        _ = try workspace.store.apply(.ignore(.forever), to: [byFingerprint["i"]!], actor: nil)
        workspace.drop("b.jsonl", PayloadBuilder(id: 3, fingerprint: "r").json + "\n" + PayloadBuilder(id: 4, fingerprint: "i").json)
        try workspace.ingest()
        let after = Dictionary(uniqueKeysWithValues: try workspace.groups().map { ($0.fingerprint, $0.state) })
        #expect(after["r"] == .regressed)
        #expect(after["i"] == GroupState(status: .ignored, substatus: .forever))
        let history = try workspace.store.details(of: byFingerprint["r"]!).history
        #expect(history.map(\.cause) == ["occurrence:new_group", "user", "rule:regression"])
        #expect(history[1].actor == "user:test")
    }

    @Test func test_anOccurrenceBeforeAResolveInTheSameFileRegressesFirst() throws {
        let workspace = try Workspace()
        workspace.drop("a.json", PayloadBuilder(id: 1).json)
        try workspace.ingest()
        _ = try workspace.store.apply(.resolve, to: [1], actor: nil)
        workspace.drop("b.jsonl", PayloadBuilder(id: 2).json + "\n" + statusChangeJSON(status: 1, substatus: nil))
        try workspace.ingest()
        #expect(try workspace.groups().first?.state == .resolved)
        let causes = try workspace.store.details(of: 1).history.map(\.cause)
        #expect(causes == ["occurrence:new_group", "user", "rule:regression", "payload"])
    }
}
