import Foundation
import GRDB
import Testing
@testable import TriageEngine
import TriageTestSupport

/// `[store] keep_occurrences`: each group keeps its newest N occurrences; counts stay whole and a
/// removed occurrence sent again is still a duplicate.
@Suite struct RetentionTests {
    static let t0 = 1_790_000_000.0

    private func workspace(keep: Int?) throws -> Workspace {
        var settings = EngineSettings()
        settings.keepOccurrences = keep
        return try Workspace(settings: settings, now: Self.t0 + 7200)
    }

    /// Occurrences of group fp-1, one a minute from t0 (shuffled, so arrival order is not time order).
    private func payloads(_ ids: [Int]) -> String {
        ids.map { PayloadBuilder(id: $0, time: Self.t0 + Double($0) * 60).json }.joined(separator: "\n")
    }

    private func keptIDs(_ workspace: Workspace) throws -> [Int] {
        try workspace.store.read { db in
            try Data.fetchAll(db, sql: "SELECT id FROM occurrences WHERE group_id = 1 ORDER BY detection_time")
        }.map { Int($0.map { String(format: "%02x", $0) }.joined(), radix: 16)! }
    }

    @Test func test_eachGroupKeepsItsNewestOccurrencesAndWholeCounts() throws {
        let workspace = try workspace(keep: 3)
        workspace.drop("a.jsonl", payloads([4, 9, 1, 7, 2, 10, 3, 8, 5, 6]))
        try workspace.ingest()
        #expect(try keptIDs(workspace) == [8, 9, 10], "the newest by detection time")
        let group = try workspace.store.group("1")
        #expect(group.timesSeen == 10)
        #expect(try workspace.count("SELECT sum(count) FROM group_hours WHERE group_id = 1") == 10, "hourly counts are kept whole")
        #expect(try workspace.count("SELECT retired FROM groups WHERE id = 1") == 7)
        #expect(try workspace.count("SELECT count(*) FROM occurrence_ids") == 10, "removed ids stay known")
        let details = try workspace.store.details(of: 1, occurrence: 0)
        #expect(details.occurrenceCount == 3)
        #expect(String(decoding: try #require(details.payload), as: UTF8.self).contains(PayloadBuilder.uuid(10)))
    }

    @Test func test_rowsATransactionWouldRemoveAreNeverWritten() throws {
        let workspace = try workspace(keep: 3)
        workspace.drop("a.jsonl", payloads([4, 9, 1, 7, 2, 10, 3, 8, 5, 6]))
        try workspace.ingest()
        let seqs = try workspace.store.read { db in
            try Int64.fetchAll(db, sql: "SELECT seq FROM occurrences WHERE group_id = 1 ORDER BY seq")
        }
        // Inserted and then pruned, 9, 10 and 8 would have the numbers of their arrival: 2, 6 and 8.
        #expect(seqs == [1, 2, 3], "only the three kept were inserted, in arrival order")
        #expect(try keptIDs(workspace) == [8, 9, 10])
    }

    @Test func test_usersOfOccurrencesNotKeptAreStillCounted() throws {
        let workspace = try workspace(keep: 2)
        workspace.drop("a.jsonl", payloads([1]))
        try workspace.ingest()
        _ = try workspace.store.apply(.ignore(.untilCondition(IgnoreCondition(users: 3))), to: [1], actor: "tester")
        // The three users are on the oldest three of five: their rows are never kept.
        let lines = [(2, "ann"), (3, "bob"), (4, "cy"), (5, nil), (6, nil)].map { id, user -> String in
            let payload = PayloadBuilder(id: id, time: Self.t0 + Double(id) * 60)
            return (user.map { payload.seenBy($0) } ?? payload).json
        }
        workspace.drop("b.jsonl", lines.reversed().joined(separator: "\n"))
        try workspace.ingest()
        #expect(try keptIDs(workspace) == [5, 6])
        #expect(try workspace.count("SELECT count(*) FROM group_users WHERE group_id = 1") == 3)
        #expect(try workspace.store.group("1").state == .escalating, "three users since ignoring")
    }

    @Test func test_aRemovedOccurrenceSentAgainIsADuplicate() throws {
        let workspace = try workspace(keep: 2)
        workspace.drop("a.jsonl", payloads([1, 2, 3, 4]))
        try workspace.ingest()
        workspace.drop("b.jsonl", payloads([1, 4, 5]))
        let report = try workspace.ingest()
        #expect(report.duplicates == 2, "1 was removed by retention, 4 is still kept")
        #expect(report.accepted == 1)
        #expect(try workspace.store.group("1").timesSeen == 5)
        #expect(try keptIDs(workspace) == [4, 5])
    }

    @Test func test_aLateOlderOccurrenceIsCountedAndNotKept() throws {
        let workspace = try workspace(keep: 2)
        workspace.drop("a.jsonl", payloads([5, 6]))
        try workspace.ingest()
        workspace.drop("b.jsonl", payloads([1]))
        try workspace.ingest()
        #expect(try workspace.store.group("1").timesSeen == 3)
        #expect(try keptIDs(workspace) == [5, 6])
    }

    @Test func test_keepingAllKeepsEveryOccurrence() throws {
        let workspace = try workspace(keep: nil)
        workspace.drop("a.jsonl", payloads(Array(1...120)))
        try workspace.ingest()
        #expect(try keptIDs(workspace).count == 120)
        #expect(try workspace.count("SELECT count(*) FROM occurrence_ids") == 120)
    }

    @Test func test_theDefaultKeepsAHundred() throws {
        let workspace = try workspace(keep: EngineSettings().keepOccurrences)
        workspace.drop("a.jsonl", payloads(Array(1...120)))
        try workspace.ingest()
        #expect(try keptIDs(workspace) == Array(21...120))
    }

    @Test func test_aGroupIgnoredUntilMoreThanItKeepsCanStillCountThem() throws {
        let workspace = try workspace(keep: 2)
        workspace.drop("a.jsonl", payloads([1]))
        try workspace.ingest()
        _ = try workspace.store.apply(.ignore(.untilCondition(IgnoreCondition(count: 5, countWindow: 3600))), to: [1], actor: "tester")
        workspace.drop("b.jsonl", payloads([2, 3, 4, 5]))
        try workspace.ingest()
        #expect(try workspace.store.group("1").state.status == .ignored, "four since ignoring")
        #expect(try keptIDs(workspace).count == 5, "kept up to the five the condition counts")
        workspace.drop("c.jsonl", payloads([6]))
        try workspace.ingest()
        #expect(try workspace.store.group("1").state == .escalating)
        #expect(try keptIDs(workspace) == [5, 6], "escalated, the group is back to keeping two")
    }

    @Test func test_groupsNotedByAPassThatDiedArePrunedByTheNext() throws {
        let workspace = try workspace(keep: nil)
        workspace.drop("a.jsonl", payloads(Array(1...10)))
        try workspace.ingest()
        // What a pass killed after its commit and before its prune leaves behind.
        try workspace.store.write { try $0.execute(sql: "INSERT INTO retention_pending (group_id) VALUES (1)") }
        var settings = EngineSettings()
        settings.keepOccurrences = 3
        let store = try SQLiteStore(path: workspace.store.path, settings: settings, clock: workspace.clock)
        _ = try SpoolIngestor(store: store, spool: workspace.spool).ingestAvailable()
        #expect(try keptIDs(workspace) == [8, 9, 10], "an empty pass prunes what was noted")
        #expect(try workspace.count("SELECT count(*) FROM retention_pending") == 0)
    }

    @Test func test_aStoreThatKeptRetiredIdsApartStillKnowsThemAfterOpening() throws {
        let workspace = try workspace(keep: 2)
        workspace.drop("a.jsonl", payloads([1, 2, 3, 4]))
        try workspace.ingest()
        // Back to the v8 layout: removed ids in a table of their own, no index of every id.
        try workspace.store.write { db in
            try db.execute(sql: """
                CREATE TABLE retired_occurrences (id BLOB PRIMARY KEY) WITHOUT ROWID;
                INSERT INTO retired_occurrences SELECT id FROM occurrence_ids WHERE id NOT IN (SELECT id FROM occurrences);
                DROP TABLE occurrence_ids;
                DELETE FROM grdb_migrations WHERE identifier LIKE 'v9:%';
                """)
        }
        var settings = EngineSettings()
        settings.keepOccurrences = 2
        let reopened = try SQLiteStore(path: workspace.store.path, settings: settings, clock: workspace.clock)
        #expect(try workspace.count("SELECT count(*) FROM occurrence_ids") == 4, "kept and retired ids alike")
        workspace.drop("b.jsonl", payloads([1, 4, 5]))
        let report = try SpoolIngestor(store: reopened, spool: workspace.spool).ingestAvailable()
        #expect(report.duplicates == 2, "1 was retired before the upgrade, 4 is kept")
        #expect(report.accepted == 1)
        #expect(try keptIDs(workspace) == [4, 5])
    }

    @Test func test_configNamesHowManyToKeep() throws {
        #expect(try TriageConfig.parse("[store]\nkeep_occurrences = 5", source: "c.toml").engine.keepOccurrences == 5)
        #expect(try TriageConfig.parse("[store]\nkeep_occurrences = \"all\"", source: "c.toml").engine.keepOccurrences == nil)
        #expect(try TriageConfig.parse("", source: "c.toml").engine.keepOccurrences == 100)
        for bad in ["0", "\"some\"", "2.5"] {
            #expect(throws: ConfigError(file: "c.toml", message: "store.keep_occurrences: must be how many occurrences to keep per group (at least 1), or \"all\"")) {
                try TriageConfig.parse("[store]\nkeep_occurrences = \(bad)", source: "c.toml")
            }
        }
        #expect(throws: ConfigError.self) { try TriageConfig.parse("[store]\nkeep = 5", source: "c.toml") }
    }
}
