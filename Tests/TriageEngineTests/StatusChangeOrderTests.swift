import Testing
@testable import TriageEngine
import TriageTestSupport

/// Status-change payloads apply in spool order relative to the occurrences around them, for the
/// same and for other groups, however the stream is cut into transactions and passes; and the
/// summary counts each change once, by cause.
@Suite struct StatusChangeOrderTests {
    private static let resolve = (status: 1, substatus: Int?.none)
    private static let ignoreForever = (status: 2, substatus: Int?.some(5))
    private static let reopen = (status: 0, substatus: Int?.some(3))

    private func occurrence(_ id: Int, _ fingerprint: String, at offset: Double) -> String {
        PayloadBuilder(id: id, fingerprint: fingerprint, time: 1_790_000_000 + offset).json
    }

    private func change(_ fingerprint: String, _ target: (status: Int, substatus: Int?)) -> String {
        statusChangeJSON(fingerprint: fingerprint, status: target.status, substatus: target.substatus)
    }

    /// A stream mixing both kinds for two groups; the comments give each group's state after the line.
    private var stream: [String] {
        [
            occurrence(1, "a", at: 1),        // a new
            occurrence(2, "b", at: 2),        // b new
            change("a", Self.resolve),        // a resolved
            occurrence(3, "a", at: 3),        // a regressed
            occurrence(4, "b", at: 4),
            change("b", Self.resolve),        // b resolved (its pending occurrence lands first: no regression)
            change("a", Self.ignoreForever),  // a ignored forever
            occurrence(5, "a", at: 5),        // ignored groups do not regress
            occurrence(6, "b", at: 6),        // b regressed
            change("b", Self.reopen),         // b ongoing
            occurrence(7, "c", at: 7),        // c new
            change("c", Self.resolve),        // c resolved
            occurrence(8, "c", at: 8),        // c regressed ...
            change("c", Self.resolve),        // ... then resolved again: "occurrence, then resolve"
        ]
    }

    private func history(_ workspace: Workspace, _ fingerprint: String) throws -> [String] {
        let group = try #require(try workspace.groups().first { $0.fingerprint == fingerprint })
        return try workspace.store.details(of: group.id).history.map { "\($0.cause) → \($0.to.status)/\($0.to.substatus.map { "\($0)" } ?? "-")" }
    }

    private func check(_ workspace: Workspace) throws {
        let groups = Dictionary(uniqueKeysWithValues: try workspace.groups().map { ($0.fingerprint, $0) })
        #expect(groups["a"]?.state == GroupState(status: .ignored, substatus: .forever))
        #expect(groups["a"]?.timesSeen == 3)
        #expect(groups["b"]?.state == .ongoing)
        #expect(groups["b"]?.timesSeen == 3)
        #expect(groups["c"]?.state == .resolved)
        #expect(groups["c"]?.timesSeen == 2)
        #expect(try history(workspace, "a") == ["occurrence:new_group → unresolved/new", "payload → resolved/-",
                                                 "rule:regression → unresolved/regressed", "payload → ignored/forever"])
        #expect(try history(workspace, "b") == ["occurrence:new_group → unresolved/new", "payload → resolved/-",
                                                 "rule:regression → unresolved/regressed", "payload → unresolved/ongoing"])
        #expect(try history(workspace, "c") == ["occurrence:new_group → unresolved/new", "payload → resolved/-",
                                                 "rule:regression → unresolved/regressed", "payload → resolved/-"])
    }

    @Test(arguments: [1, 3, 10_000])
    func test_oneFileEndsInTheSpecsStatesInOrder(batchRows: Int) throws {
        let workspace = try Workspace()
        workspace.drop("mixed.jsonl", stream.joined(separator: "\n"))
        let report = try workspace.ingest(batchRows: batchRows)
        #expect(report.rejected == 0)
        #expect(report.statusChanges == 6)
        #expect(report.regressions == 3)
        try check(workspace)
    }

    @Test func test_oneFileAPayloadAndOnePassAFileEndAlike() throws {
        let workspace = try Workspace()
        var total = IngestReport()
        for (index, line) in stream.enumerated() {
            workspace.drop("\(1000 + index).json", line)
            total.add(try workspace.ingest())
        }
        #expect(total.statusChanges == 6)
        #expect(total.regressions == 3)
        try check(workspace)
    }

    @Test func test_noiseCountsDoNotDependOnHowPassesCutTheStream() throws {
        // Type 1006 groups at 3 within a day: keys "n1" and "n2" form, "n3" stays held.
        let lines = [(1, "n1"), (2, "n2"), (3, "n1"), (4, "n3"), (5, "n2"), (6, "n1"), (7, "n2"), (8, "n1")].map {
            PayloadBuilder(id: $0.0, fingerprint: $0.1, type: 1006, time: 1_790_000_000 + Double($0.0)).json
        }
        let whole = try Workspace()
        whole.drop("all.jsonl", lines.joined(separator: "\n"))
        let once = try whole.ingest()

        let piecemeal = try Workspace()
        var passes = IngestReport()
        for (index, line) in lines.enumerated() {
            piecemeal.drop("\(100 + index).json", line)
            passes.add(try piecemeal.ingest())
        }
        for report in [once, passes] {
            #expect(report.noiseHeld == 5, "n1, n1, n2, n2 and n3 arrived below the limit")
            #expect(report.noiseReleased == 4)
            #expect(report.groupsCreated == 2)
        }
        #expect(try whole.count("SELECT count(*) FROM occurrences WHERE group_id IS NULL") == 1)
        #expect(try piecemeal.count("SELECT count(*) FROM occurrences WHERE group_id IS NULL") == 1)
    }
}
