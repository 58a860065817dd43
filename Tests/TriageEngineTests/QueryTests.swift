import Testing
@testable import TriageEngine
import TriageTestSupport

@Suite struct QueryParserTests {
    let parser = QueryParser(registry: .builtIn)

    private func terms(_ query: String) throws -> [QueryTerm] { try parser.parse(query).terms }

    private func failure(_ query: String) -> QueryError? {
        do {
            _ = try parser.parse(query)
            return nil
        } catch { return error }
    }

    @Test func test_parsesEveryKey() throws {
        #expect(try terms("is:unresolved").first?.filter == .status(.unresolved))
        #expect(try terms("is:archived").first?.filter == .status(.ignored))
        #expect(try terms("is:muted").first?.filter == .status(.ignored))
        #expect(try terms("issue.type:error,feedback").first?.filter == .types([1, 6001]))
        #expect(try terms("type:monitor_check_in_failure").first?.filter == .types([4001]))
        #expect(try terms("issue.category:performance").first?.filter == .categories([2]))
        #expect(try terms("level:error,fatal").first?.filter == .levels([.error, .fatal]))
        #expect(try terms("project:3").first?.filter == .projects([3]))
        #expect(try terms("priority:high").first?.filter == .priorities([.high]))
        #expect(try terms("times_seen:>10").first?.filter == .timesSeen(.greater, 10))
        #expect(try terms("times_seen:<=2").first?.filter == .timesSeen(.lessOrEqual, 2))
        #expect(try terms("last_seen:-1h").first?.filter == .lastSeen(.within(3600)))
        #expect(try terms("last_seen:+2d").first?.filter == .lastSeen(.olderThan(172_800)))
        #expect(try terms("has:important").first?.filter == .hasImportantEvidence)
    }

    @Test func test_negationAndFreeText() throws {
        let parsed = try terms(#"!issue.type:error TypeError "cannot read" !bang"#)
        #expect(parsed == [
            QueryTerm(negated: true, filter: .types([1])),
            QueryTerm(negated: false, filter: .text("typeerror")),
            QueryTerm(negated: false, filter: .text("cannot read")),
            QueryTerm(negated: false, filter: .text("!bang")),
        ])
        #expect(try terms(#""has:colon""#) == [QueryTerm(negated: false, filter: .text("has:colon"))])
        #expect(try terms("   ").isEmpty)
    }

    @Test func test_badTermsNameTheTermAndColumn() {
        #expect(failure("is:unresolved bogus:1") ==
            QueryError(message: "unknown key \"bogus\"; put the word in quotes to search for it as text", column: 15))
        #expect(failure("type:nope") == QueryError(message: "type: unknown type (see `triage types`) \"nope\"", column: 6))
        #expect(failure("level:") == QueryError(message: "level: needs a value", column: 7))
        #expect(failure("level:loud")?.column == 7)
        #expect(failure("is:gone")?.message.hasPrefix("is: unknown status \"gone\"") == true)
        #expect(failure("times_seen:many")?.message == "times_seen: expected a count such as >10, <5 or 3")
        #expect(failure("last_seen:1h")?.message == "last_seen: expected -DURATION or +DURATION such as -1h, -30m, +7d")
        #expect(failure("has:everything")?.message == "has: only has:important is supported")
        #expect(failure(#"x "open"#) == QueryError(message: "unclosed quote", column: 3))
        #expect(failure("x !project:a")?.column == 12)
    }

    @Test func test_durations() {
        #expect(DurationText.seconds("90s") == 90)
        #expect(DurationText.seconds("1h30m") == 5400)
        #expect(DurationText.seconds("2w") == 1_209_600)
        #expect(DurationText.seconds("5") == nil)
        #expect(DurationText.seconds("h") == nil)
        #expect(DurationText.seconds("0m") == nil)
    }
}

@Suite struct QueryFilteringTests {
    /// Six groups with distinct attributes, ingested through the real spool.
    private func workspace() throws -> Workspace {
        let workspace = try Workspace(now: 1_790_100_000)
        let hour = 3600.0
        workspace.drop("a.jsonl", [
            PayloadBuilder(id: 1, project: 1, fingerprint: "a", type: 1, time: 1_790_100_000 - 10, title: "TypeError in Checkout", level: "error").json,
            PayloadBuilder(id: 2, project: 1, fingerprint: "b", type: 4001, time: 1_790_100_000 - 2 * hour, title: "Monitor failure", level: "fatal").json,
            PayloadBuilder(id: 3, project: 2, fingerprint: "c", type: 1, time: 1_790_100_000 - 30 * hour, title: "Ünïcode TITLE", level: "warning")
                .with("evidence_display", "[]").json,
            PayloadBuilder(id: 4, project: 2, fingerprint: "d", type: 6001, time: 1_790_100_000 - 60, title: "Feedback: slow", level: "info").json,
            PayloadBuilder(id: 5, project: 1, fingerprint: "a", type: 1, time: 1_790_100_000 - 5, title: "TypeError in Checkout", level: "error").json,
            PayloadBuilder(id: 6, project: 3, fingerprint: "e", type: 1, time: 1_790_100_000 - 20, title: "Escaped", level: "debug")
                .with("culprit", "\"payments/api.py\"").json,
        ].joined(separator: "\n"))
        try workspace.ingest()
        return workspace
    }

    private func fingerprints(_ workspace: Workspace, _ query: String) throws -> [String] {
        try workspace.groups(query).map(\.fingerprint).sorted()
    }

    @Test func test_filtersMatchTheRightGroups() throws {
        let workspace = try workspace()
        #expect(try fingerprints(workspace, "") == ["a", "b", "c", "d", "e"], "the empty query matches every group")
        #expect(try fingerprints(workspace, "is:unresolved") == ["a", "b", "c", "e"], "feedback is hidden from the default stream")
        #expect(try fingerprints(workspace, "type:feedback") == ["d"], "unless the query names it")
        #expect(try fingerprints(workspace, "issue.category:feedback") == ["d"])
        #expect(try fingerprints(workspace, "type:error") == ["a", "c", "e"])
        #expect(try fingerprints(workspace, "!type:error") == ["b"])
        #expect(try fingerprints(workspace, "level:fatal,warning") == ["b", "c"])
        #expect(try fingerprints(workspace, "project:2") == ["c"])
        #expect(try fingerprints(workspace, "priority:high") == ["b"])
        #expect(try fingerprints(workspace, "times_seen:>1") == ["a"])
        #expect(try fingerprints(workspace, "last_seen:-1h") == ["a", "e"])
        #expect(try fingerprints(workspace, "last_seen:+1d") == ["c"])
        #expect(try fingerprints(workspace, "!has:important") == ["c"])
        #expect(try fingerprints(workspace, "typeerror") == ["a"])
        #expect(try fingerprints(workspace, "ünïcode") == ["c"], "case folding beyond ASCII")
        #expect(try fingerprints(workspace, #""payments/api""#) == ["e"], "culprit is searched too")
        #expect(try fingerprints(workspace, "is:new type:error level:error checkout") == ["a"])
    }

    @Test func test_sortOrdersAndPaging() throws {
        let workspace = try workspace()
        let store = workspace.store
        let everything = GroupQuery.all
        #expect(try store.groups(matching: everything, sort: .lastSeen, limit: nil, offset: 0).map(\.fingerprint) == ["a", "e", "d", "b", "c"])
        #expect(try store.groups(matching: everything, sort: .events, limit: 1, offset: 0).map(\.fingerprint) == ["a"])
        #expect(try store.groups(matching: everything, sort: .priority, limit: 1, offset: 0).map(\.fingerprint) == ["b"])
        #expect(try store.groups(matching: everything, sort: .firstSeen, limit: 2, offset: 1).map(\.fingerprint) == ["e", "d"])
        #expect(try store.countGroups(matching: QueryParser(registry: .builtIn).parse("type:error")) == 3)
    }

    @Test func test_groupReferencesAcceptIdsAndShortIds() throws {
        let workspace = try workspace()
        #expect(try workspace.store.group("2").fingerprint == "b")
        #expect(try workspace.store.group("p1-2").fingerprint == "b")
        #expect(throws: StoreError.groupNotFound("P9-2")) { try workspace.store.group("P9-2") }
        #expect(throws: StoreError.groupNotFound("zz")) { try workspace.store.group("zz") }
    }
}
