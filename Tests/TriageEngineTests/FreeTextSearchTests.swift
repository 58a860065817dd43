import Dispatch
import GRDB
import Testing
@testable import TriageEngine
import TriageTestSupport

@Suite struct FreeTextSearchTests {
    /// Titles chosen to trip an index that only knows trigrams: "abcXbcd" holds both trigrams of
    /// "abcd" but not the word.
    private let titles = [
        "Timeout talking to payments", "abcXbcd", "ABCD in caps", "Ünïcode façade", "say \"hi\" now", "a  b  c",
        "timeouts everywhere", "disk full on host-12", "host-1 is fine", "ab", "日本語のエラー",
    ]

    private func workspace() throws -> Workspace {
        let workspace = try Workspace(now: 1_790_100_000)
        let payloads = titles.enumerated().map { index, title in
            PayloadBuilder(id: index + 1, fingerprint: "f\(index)", time: 1_790_100_000 - Double(index),
                           title: title.replacingOccurrences(of: "\"", with: "\\\"")).json
        }
        workspace.drop("titles.jsonl", payloads.joined(separator: "\n"))
        try workspace.ingest()
        return workspace
    }

    /// Needles as the parser gives them (lower-cased), built directly so that quotes and negation
    /// need no query syntax.
    private static func query(_ needles: String..., negated: Set<String> = []) -> GroupQuery {
        GroupQuery(terms: needles.map { QueryTerm(negated: negated.contains($0), filter: .text($0)) }, source: needles.joined(separator: " "))
    }

    @Test func test_theIndexFindsExactlyWhatAScanFinds() throws {
        let workspace = try workspace()
        for needle in ["timeout", "abcd", "bcd", "ünïcode", "façade", "\"hi\"", "  b  ", "host-1", "host-12", "日本語", "エラー", "zzz", "ab", "t"] {
            let query = Self.query(needle)
            let expected = titles.filter { ($0 + "\nsub\napp.py in main").lowercased().contains(needle) }.sorted()
            let found = try workspace.store.groups(matching: query, sort: .lastSeen, limit: nil, offset: 0).map(\.title).sorted()
            #expect(found == expected, "needle \(needle)")
        }
    }

    @Test func test_needlesWithManyCandidatesAreScannedAndFewAreLookedUp() throws {
        let workspace = try workspace()
        let query = Self.query("timeout", "host-12", "ab", "zzz", negated: ["zzz"])
        let indexed = try workspace.store.read { try FreeTextSearch.indexedNeedles(in: query, $0, sparseLimit: 2) }
        #expect(indexed.keys.sorted() == ["ab", "host-12"], "timeout has two candidates (not fewer than the limit), !zzz is negated")
        #expect(indexed["ab"] == .postings(ShortGramIndex.gram(of: "ab")!), "ab has no trigram: the short-gram index has it")
        #expect(FreeTextSearch.matchExpression(for: "a\"bcd") == #""a""b" """bc" "bcd""#, "quotes are doubled, each trigram quoted")
        #expect(FreeTextSearch.matchExpression(for: "ab") == nil)
    }

    @Test func test_aNewerTitleMovesTheGroupInTheIndex() throws {
        let workspace = try workspace()
        workspace.drop("retitled.jsonl", [
            PayloadBuilder(id: 100, fingerprint: "f0", time: 1_790_100_050, title: "Overflow in ledger").json,
            PayloadBuilder(id: 101, fingerprint: "f7", time: 1_790_000_000, title: "An older title is ignored").json,
        ].joined(separator: "\n"))
        try workspace.ingest()
        #expect(try workspace.groups("overflow").map(\.fingerprint) == ["f0"])
        #expect(try workspace.groups("timeout").map(\.fingerprint) == ["f6"], "f0 no longer says timeout")
        #expect(try workspace.groups("older").isEmpty)
        #expect(try workspace.groups("host-12").map(\.fingerprint) == ["f7"])
        #expect(try workspace.count("SELECT count(*) FROM groups_search WHERE groups_search MATCH '\"ove\" \"ver\"'") == 1)
        #expect(try workspace.count("SELECT count(*) FROM groups_search WHERE groups_search MATCH '\"tim\" \"ime\" \"meo\"'") == 1,
                "the old title left the index")
        #expect(try workspace.count("SELECT count(*) FROM groups_search_pending") == 0, "the index is in step when ingest commits")
    }

    @Test func test_aStoreFromBeforeTheIndexGetsOneWhenOpened() throws {
        let workspace = try workspace()
        try workspace.store.write { db in
            try db.execute(sql: """
                DROP TRIGGER IF EXISTS groups_search_insert; DROP TRIGGER IF EXISTS groups_search_update; DROP TRIGGER groups_search_delete;
                DROP TABLE groups_search; DROP TABLE groups_search_pending;
                DELETE FROM grdb_migrations WHERE identifier LIKE 'v7:%';
                """)
        }
        let reopened = try SQLiteStore(path: workspace.store.path, clock: workspace.clock)
        let query = try QueryParser(registry: .builtIn).parse("payments")
        #expect(try reopened.read { try FreeTextSearch.indexedNeedles(in: query, $0) }.keys.sorted() == ["payments"])
        #expect(try reopened.groups(matching: query, sort: .lastSeen, limit: nil, offset: 0).map(\.fingerprint) == ["f0"])
    }

    @Test func test_aLongReadStopsSoonAfterItIsAskedTo() throws {
        let workspace = try workspace()
        let started = DispatchTime.now().uptimeNanoseconds
        let deadline = started + 5_000_000
        #expect(throws: ReadInterrupted()) {
            try ReadInterruption.run(stoppingWhen: { DispatchTime.now().uptimeNanoseconds >= deadline }) {
                try workspace.store.read { db in
                    try Int.fetchOne(db, sql: "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 100000000) SELECT count(*) FROM n")
                }
            }
        }
        #expect(DispatchTime.now().uptimeNanoseconds - started < 1_000_000_000, "a hundred million rows would take seconds")
    }

    @Test func test_anInterruptedReadThrowsAndLeavesTheStoreUsable() throws {
        let workspace = try workspace()
        let query = try QueryParser(registry: .builtIn).parse("zz")
        #expect(throws: ReadInterrupted()) {
            try ReadInterruption.run(stoppingWhen: { true }) {
                try workspace.store.countGroups(matching: query, upTo: nil)
            }
        }
        #expect(try ReadInterruption.run(stoppingWhen: { false }) { try workspace.store.countGroups(matching: .all, upTo: nil) } == titles.count)
        #expect(try workspace.store.countGroups(matching: .all, upTo: nil) == titles.count, "no handler is left on the connection")
        workspace.drop("more.jsonl", PayloadBuilder(id: 500, fingerprint: "new").json)
        #expect(try ReadInterruption.run(stoppingWhen: { true }) { try workspace.ingest().accepted } == 1, "writes are never watched")
    }
}
