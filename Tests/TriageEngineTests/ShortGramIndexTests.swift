import GRDB
import Testing
@testable import TriageEngine
import TriageTestSupport

/// The one- and two-character gram index stays exactly what the groups' texts say, through every
/// way a group's text changes, and answers short needles exactly as a scan would.
@Suite struct ShortGramIndexTests {
    private let titles = ["Timeout talking to payments", "ab", "Ünïcode façade", "日本語のエラー", "disk full on host-12", "zq once"]

    private func workspace() throws -> Workspace {
        let workspace = try Workspace(now: 1_790_100_000)
        workspace.drop("titles.jsonl", titles.enumerated().map { index, title in
            PayloadBuilder(id: index + 1, fingerprint: "f\(index)", time: 1_790_100_000 - Double(index), title: title).json
        }.joined(separator: "\n"))
        try workspace.ingest()
        return workspace
    }

    /// Every distinct substring of one or two Unicode scalars, as the index keys it.
    private static func grams(_ text: String) -> Set<Int64> {
        let scalars = Array(text.unicodeScalars)
        var grams = Set<Int64>()
        for index in scalars.indices {
            grams.insert(ShortGramIndex.gram(of: String(String.UnicodeScalarView([scalars[index]])))!)
            if index + 1 < scalars.count { grams.insert(ShortGramIndex.gram(of: String(String.UnicodeScalarView([scalars[index], scalars[index + 1]])))!) }
        }
        return grams
    }

    /// Counts equal the groups holding each gram; a posted gram lists exactly those groups, an
    /// unposted one none.
    private func expectIndexMatchesGroups(_ store: SQLiteStore, sourceLocation: SourceLocation = #_sourceLocation) throws {
        var holders: [Int64: Set<Int64>] = [:]
        for row in try store.read({ try Row.fetchAll($0, sql: "SELECT id, search_text FROM groups") }) {
            for gram in Self.grams(row["search_text"]) { holders[gram, default: []].insert(row["id"]) }
        }
        let counted = try store.read { try Row.fetchAll($0, sql: "SELECT gram, groups, posted FROM groups_grams") }
        #expect(Dictionary(uniqueKeysWithValues: counted.map { ($0["gram"] as Int64, $0["groups"] as Int) }) == holders.mapValues(\.count),
                sourceLocation: sourceLocation)
        var postings: [Int64: Set<Int64>] = [:]
        for row in try store.read({ try Row.fetchAll($0, sql: "SELECT gram, group_id FROM groups_gram_postings") }) {
            postings[row["gram"], default: []].insert(row["group_id"])
        }
        let posted = Set(counted.filter { $0["posted"] as Bool }.map { $0["gram"] as Int64 })
        #expect(postings == holders.filter { posted.contains($0.key) }, sourceLocation: sourceLocation)
    }

    /// A group written as the synthetic store writes one, noted for the indexes.
    private func insertGroup(_ db: Database, id: Int64, text: String) throws {
        try db.execute(sql: """
            INSERT INTO groups (id, project_id, fingerprint, type_id, title, subtitle, culprit, level, status, priority,
                                first_seen, last_seen, times_seen, search_text)
            VALUES (?, 1, ?, 1, ?, '', '', 'error', 0, 50, 1, 1, 1, ?)
            """, arguments: [id, "direct-\(id)", text, text])
        try db.execute(sql: FreeTextIndex.noteNew, arguments: [id])
    }

    private func code(_ gram: String) -> Int64 { ShortGramIndex.gram(of: gram)! }

    @Test func test_countsAndPostingsStayExactThroughInsertsRetitlesAndDeletes() throws {
        let workspace = try workspace()
        try expectIndexMatchesGroups(workspace.store)
        // A newer title replaces the old one; an older one is ignored.
        workspace.drop("retitled.jsonl", [
            PayloadBuilder(id: 100, fingerprint: "f1", time: 1_790_100_050, title: "ba now").json,
            PayloadBuilder(id: 101, fingerprint: "f4", time: 1_790_000_000, title: "an older title").json,
            PayloadBuilder(id: 102, fingerprint: "f9", time: 1_790_100_060, title: "yet another zq").json,
        ].joined(separator: "\n"))
        try workspace.ingest()
        try expectIndexMatchesGroups(workspace.store)
        #expect(try workspace.groups("ab").isEmpty, "f1 no longer says ab")
        // Groups inserted and removed in one transaction, and one removed later.
        try workspace.store.write { db in
            try insertGroup(db, id: 500, text: "xw short")
            try insertGroup(db, id: 501, text: "xw gone")
            try db.execute(sql: "DELETE FROM groups WHERE id = 501")
            try FreeTextIndex.sync(db)
        }
        try expectIndexMatchesGroups(workspace.store)
        try workspace.store.write { db in
            try db.execute(sql: "UPDATE groups SET search_text = 'qj' WHERE id = 500")
            try db.execute(sql: "INSERT INTO groups_search_pending (id, indexed_text) VALUES (500, 'xw short')")
            try FreeTextIndex.sync(db)
        }
        try expectIndexMatchesGroups(workspace.store)
        try workspace.store.write { db in
            try db.execute(sql: "DELETE FROM groups WHERE id = 500")
            try FreeTextIndex.sync(db)
        }
        try expectIndexMatchesGroups(workspace.store)
        #expect(try workspace.count("SELECT count(*) FROM groups_grams WHERE gram IN (\(code("xw")), \(code("qj")))") == 0, "grams no group holds are gone")
    }

    /// New groups are indexed from the table by their ids at the flush, not noted one by one: a group
    /// written early (a status change aimed at it) and retitled before the index caught up is indexed
    /// once, with its newest text, and never taken out of an index that never had it.
    @Test func test_aGroupRetitledInTheTransactionThatCreatedItIsIndexedOnceWithItsNewestText() throws {
        let workspace = try workspace()
        workspace.drop("new-and-retitled.jsonl", [
            PayloadBuilder(id: 200, fingerprint: "n1", time: 1_790_100_100, title: "vx first words").json,
            PayloadBuilder(id: 201, fingerprint: "n2", time: 1_790_100_100, title: "uy stays").json,
            statusChangeJSON(fingerprint: "n1", status: 1, substatus: nil),
            PayloadBuilder(id: 202, fingerprint: "n1", time: 1_790_100_200, title: "wk second words").json,
        ].joined(separator: "\n"))
        let report = try workspace.ingest()
        #expect(report.groupsCreated == 2 && report.statusChanges == 1)
        try expectIndexMatchesGroups(workspace.store)
        #expect(try workspace.groups("vx").isEmpty && workspace.groups("first").isEmpty, "the first title left no trace")
        #expect(try workspace.groups("wk").map(\.fingerprint) == ["n1"] && workspace.groups("second").map(\.fingerprint) == ["n1"])
        #expect(try workspace.groups("uy stays").map(\.fingerprint) == ["n2"])
        // FTS5 checks an external-content index against the table's text.
        try workspace.store.write { try $0.execute(sql: "INSERT INTO groups_search (groups_search, rank) VALUES ('integrity-check', 1)") }
        #expect(try workspace.count("SELECT count(*) FROM groups_search_pending") == 0)
    }

    @Test func test_aGramReachingTheLimitLosesItsPostingsAndIsScannedFromThen() throws {
        let workspace = try workspace()
        func sync(_ change: (Database) throws -> Void) throws {
            try workspace.store.write { db in
                try change(db)
                try FreeTextIndex.sync(db, gramPostingLimit: 3)
            }
        }
        let query = GroupQuery(terms: [QueryTerm(negated: false, filter: .text("kv"))], source: "kv")
        func plan() throws -> FreeTextSearch.Plan? { try workspace.store.read { try FreeTextSearch.indexedNeedles(in: query, $0)["kv"] } }
        func found() throws -> [Int64] { try workspace.store.groups(matching: query, sort: .lastSeen, limit: nil, offset: 0).map(\.id).sorted() }

        #expect(try plan() == .nothing, "no group holds kv: no matches, without a scan")
        try sync { db in for id in Int64(600)...601 { try insertGroup(db, id: id, text: "kv \(id)") } }
        #expect(try plan() == .postings(code("kv")))
        #expect(try found() == [600, 601])
        #expect(try workspace.count("SELECT count(*) FROM groups_gram_postings WHERE gram = \(code("kv"))") == 2)
        try sync { db in try insertGroup(db, id: 602, text: "kv 602") }
        #expect(try workspace.count("SELECT count(*) FROM groups_gram_postings WHERE gram = \(code("kv"))") == 0, "three groups: at the limit")
        #expect(try plan() == nil, "scanned")
        #expect(try workspace.store.scansFreeText(query))
        try sync { db in try db.execute(sql: "DELETE FROM groups WHERE id = 600") }
        #expect(try plan() == nil, "once common, scanned for good: postings are never rebuilt")
        #expect(try found() == [601, 602])
        #expect(try workspace.count("SELECT groups FROM groups_grams WHERE gram = \(code("kv"))") == 2)
    }

    @Test func test_shortNeedlesFindExactlyWhatAScanFinds() throws {
        let workspace = try workspace()
        for needle in ["t", "ab", "ü", "ça", "日本", "エ", "-1", "zz", " o", "q"] {
            let query = GroupQuery(terms: [QueryTerm(negated: false, filter: .text(needle))], source: needle)
            let expected = titles.filter { ($0 + "\nsub\napp.py in main").lowercased().contains(needle) }.sorted()
            let found = try workspace.store.groups(matching: query, sort: .lastSeen, limit: nil, offset: 0).map(\.title).sorted()
            #expect(found == expected, "needle \(needle)")
            #expect(try workspace.store.countGroups(matching: query, upTo: nil) == expected.count, "needle \(needle)")
            #expect(try !workspace.store.scansFreeText(query), "a short needle few groups hold is looked up: \(needle)")
        }
    }

    @Test func test_aStoreFromBeforeTheGramsBuildsThemWhenOpened() throws {
        let workspace = try workspace()
        try workspace.store.write { db in
            try db.execute(sql: """
                DROP TABLE groups_grams; DROP TABLE groups_gram_postings;
                DELETE FROM grdb_migrations WHERE identifier LIKE 'v13:%';
                """)
        }
        let reopened = try SQLiteStore(path: workspace.store.path, clock: workspace.clock)
        try expectIndexMatchesGroups(reopened)
        let query = try QueryParser(registry: .builtIn).parse("zq")
        #expect(try reopened.read { try FreeTextSearch.indexedNeedles(in: query, $0) } == ["zq": .postings(code("zq"))])
        #expect(try reopened.groups(matching: query, sort: .lastSeen, limit: nil, offset: 0).map(\.fingerprint) == ["f5"])
    }
}
