import Testing
import TriageEngine
import TriageTestSupport

/// Queries, sorts, paging, counts and positions: what the list reads.
@Suite struct QueryContractTests {
    static let now = 1_790_100_000.0

    /// What `project:` completes: every project some group has, once, smallest first.
    @Test(arguments: StoreBackend.all)
    func test_projectIDsNameEveryProjectOnce(_ backend: StoreBackend) throws {
        let payloads = [(1, 5), (2, -1), (3, 5), (4, 7), (5, 7)].map { id, project in
            PayloadBuilder(id: id, project: project, fingerprint: "f\(id)", time: Self.now - Double(id), title: "Group \(id)").json
        }
        let fixture = try backend.store(holding: payloads, now: Self.now)
        #expect(try fixture.store.projectIDs(limit: 100) == [-1, 5, 7])
        #expect(try fixture.store.projectIDs(limit: 2).count == 2)
    }

    /// Six occurrences in five groups with distinct attributes.
    private func fixture(_ backend: StoreBackend) throws -> any StoreUnderContract {
        let hour = 3600.0
        return try backend.store(holding: [
            PayloadBuilder(id: 1, project: 1, fingerprint: "a", type: 1, time: Self.now - 10, title: "TypeError in Checkout", level: "error").json,
            PayloadBuilder(id: 2, project: 1, fingerprint: "b", type: 4001, time: Self.now - 2 * hour, title: "Monitor failure", level: "fatal").json,
            PayloadBuilder(id: 3, project: 2, fingerprint: "c", type: 1, time: Self.now - 30 * hour, title: "Ünïcode TITLE", level: "warning")
                .with("evidence_display", "[]").json,
            PayloadBuilder(id: 4, project: 2, fingerprint: "d", type: 6001, time: Self.now - 60, title: "Feedback: slow", level: "info").json,
            PayloadBuilder(id: 5, project: 1, fingerprint: "a", type: 1, time: Self.now - 5, title: "TypeError in Checkout", level: "error").json,
            PayloadBuilder(id: 6, project: 3, fingerprint: "e", type: 1, time: Self.now - 20, title: "Escaped", level: "debug")
                .with("culprit", "\"payments/api.py\"").json,
        ], now: Self.now)
    }

    private func fingerprints(_ fixture: any StoreUnderContract, _ query: String) throws -> [String] {
        try fixture.groups(query).map(\.fingerprint).sorted()
    }

    /// Free text folds to one normal form (NFKC, then lower case) on both sides: a decomposed é finds
    /// a precomposed one and back, full-width letters and ligatures find their plain forms.
    @Test(arguments: StoreBackend.all)
    func test_textSearchFoldsUnicodeNormalForms(_ backend: StoreBackend) throws {
        let fixture = try backend.store(holding: [
            PayloadBuilder(id: 1, fingerprint: "decomposed", time: Self.now - 10, title: "Cafe\u{301} crashed").json,
            PayloadBuilder(id: 2, fingerprint: "precomposed", time: Self.now - 20, title: "Caf\u{E9} opened").json,
            PayloadBuilder(id: 3, fingerprint: "fullwidth", time: Self.now - 30, title: "\u{FF21}\u{FF30}\u{FF29} timeout").json,
            PayloadBuilder(id: 4, fingerprint: "ligature", time: Self.now - 40, title: "\u{FB01}le missing").json,
        ], now: Self.now)
        #expect(try fingerprints(fixture, "caf\u{E9}") == ["decomposed", "precomposed"], "a precomposed needle")
        #expect(try fingerprints(fixture, "CAFE\u{301}") == ["decomposed", "precomposed"], "a decomposed needle, in capitals")
        #expect(try fingerprints(fixture, "api") == ["fullwidth"])
        #expect(try fingerprints(fixture, "\u{FF41}\u{FF50}\u{FF49}") == ["fullwidth"], "a full-width needle")
        #expect(try fingerprints(fixture, "file") == ["ligature"])
        #expect(try fingerprints(fixture, "cafe") == [], "the accent still counts")
    }

    @Test(arguments: StoreBackend.all)
    func test_filtersMatchTheRightGroups(_ backend: StoreBackend) throws {
        let fixture = try fixture(backend)
        #expect(try fingerprints(fixture, "") == ["a", "b", "c", "d", "e"], "the empty query matches every group")
        #expect(try fingerprints(fixture, "is:unresolved") == ["a", "b", "c", "e"], "feedback is hidden from the default stream")
        #expect(try fingerprints(fixture, "type:feedback") == ["d"], "unless the query names it")
        #expect(try fingerprints(fixture, "issue.category:feedback") == ["d"])
        #expect(try fingerprints(fixture, "type:error") == ["a", "c", "e"])
        #expect(try fingerprints(fixture, "!type:error") == ["b"])
        #expect(try fingerprints(fixture, "level:fatal,warning") == ["b", "c"])
        #expect(try fingerprints(fixture, "project:2") == ["c"])
        #expect(try fingerprints(fixture, "priority:high") == ["b"])
        #expect(try fingerprints(fixture, "times_seen:>1") == ["a"])
        #expect(try fingerprints(fixture, "last_seen:-1h") == ["a", "e"])
        #expect(try fingerprints(fixture, "last_seen:+1d") == ["c"])
        #expect(try fingerprints(fixture, "!has:important") == ["c"])
        #expect(try fingerprints(fixture, "typeerror") == ["a"])
        #expect(try fingerprints(fixture, "ünïcode") == ["c"], "case folding beyond ASCII")
        #expect(try fingerprints(fixture, #""payments/api""#) == ["e"], "culprit is searched too")
        #expect(try fingerprints(fixture, "is:new type:error level:error checkout") == ["a"])
    }

    @Test(arguments: StoreBackend.all)
    func test_sortOrdersAndPaging(_ backend: StoreBackend) throws {
        let store = try fixture(backend).store
        let everything = GroupQuery.all
        #expect(try store.groups(matching: everything, sort: .lastSeen, limit: nil, offset: 0).map(\.fingerprint) == ["a", "e", "d", "b", "c"])
        #expect(try store.groups(matching: everything, sort: .events, limit: 1, offset: 0).map(\.fingerprint) == ["a"])
        #expect(try store.groups(matching: everything, sort: .priority, limit: 1, offset: 0).map(\.fingerprint) == ["b"])
        #expect(try store.groups(matching: everything, sort: .firstSeen, limit: 2, offset: 1).map(\.fingerprint) == ["e", "d"])
        #expect(try store.groups(matching: everything, sort: .lastSeen, limit: 2, offset: 4).map(\.fingerprint) == ["c"], "a short last page")
        #expect(try store.groups(matching: everything, sort: .lastSeen, limit: 0, offset: 0).isEmpty)
    }

    @Test(arguments: StoreBackend.all)
    func test_theTrendSortRanksThisHoursGroupsByTheirRiseThenFollowsLastSeen(_ backend: StoreBackend) throws {
        // Half past an hour: x has 3 events this hour and none before (3 against 1); y has 1 this
        // hour against 4 the hour before; z none this hour. Last seen: y, x, z.
        let hourStart = 1_790_100_000.0
        let payloads = [(1, "x", -100.0), (2, "x", -200), (3, "x", -300), (4, "y", -50), (5, "y", -2000), (6, "y", -2100),
                        (7, "y", -2200), (8, "y", -2300), (9, "z", -10_000)].map { id, fingerprint, offset in
            PayloadBuilder(id: id, fingerprint: fingerprint, time: hourStart + 1800 + offset).json
        }
        let fixture = try backend.store(holding: payloads, now: hourStart + 1800)
        #expect(try fixture.groups(sort: .lastSeen).map(\.fingerprint) == ["y", "x", "z"])
        #expect(try fixture.groups(sort: .trend).map(\.fingerprint) == ["x", "y", "z"])
        #expect(try fixture.store.groups(matching: .all, sort: .trend, limit: 2, offset: 1).map(\.fingerprint) == ["y", "z"],
                "a page across the ranked head and the rest")
    }

    @Test(arguments: StoreBackend.all)
    func test_countsStopAtTheirCap(_ backend: StoreBackend) throws {
        let store = try fixture(backend).store
        #expect(try store.countGroups(matching: .all) == 5)
        #expect(try store.countGroups(matching: .all, upTo: nil) == 5)
        #expect(try store.countGroups(matching: .all, upTo: 3) == 3)
        #expect(try store.countGroups(matching: .all, upTo: 10) == 5)
        #expect(try store.countGroups(matching: .all, upTo: 0) == 0)
        #expect(try store.countGroups(matching: QueryParser(registry: .builtIn).parse("type:error")) == 3)
        #expect(try store.countGroups(matching: QueryParser(registry: .builtIn).parse("nothing-matches-this")) == 0)
    }

    @Test(arguments: StoreBackend.all)
    func test_aGroupsPositionIsItsIndexInEverySortOrder(_ backend: StoreBackend) throws {
        let fixture = try fixture(backend)
        for sort in GroupSort.allCases {
            for query in ["", "is:unresolved", "type:error"] {
                let listed = try fixture.groups(query, sort: sort)
                for (index, group) in listed.enumerated() {
                    #expect(try fixture.store.position(of: group.id, matching: fixture.parse(query), sort: sort) == index,
                            "\(group.fingerprint) in \(sort) order of \"\(query)\"")
                }
            }
        }
        let feedback = try #require(try fixture.groups("type:feedback").first)
        #expect(try fixture.store.position(of: feedback.id, matching: fixture.parse("is:unresolved"), sort: .lastSeen) == nil,
                "a group the query does not match has no position")
        #expect(try fixture.store.position(of: 999, matching: .all, sort: .lastSeen) == nil)
    }

    @Test(arguments: StoreBackend.all)
    func test_onlyFreeTextCanMakeACountScan(_ backend: StoreBackend) throws {
        let fixture = try fixture(backend)
        #expect(try !fixture.store.scansFreeText(fixture.parse("is:unresolved type:error")))
        #expect(try !fixture.store.scansFreeText(fixture.parse("!type:error")), "a negated key is no needle (!word is an error since !word stopped searching)")
    }

    @Test(arguments: StoreBackend.all)
    func test_groupReferencesAcceptIdsAndShortIds(_ backend: StoreBackend) throws {
        let store = try fixture(backend).store
        #expect(try store.group("2").fingerprint == "b")
        #expect(try store.group("p1-2").fingerprint == "b")
        #expect(try store.group("P1-2").fingerprint == "b")
        #expect(throws: StoreError.groupNotFound("P9-2")) { try store.group("P9-2") }
        #expect(throws: StoreError.groupNotFound("zz")) { try store.group("zz") }
        #expect(throws: StoreError.groupNotFound("99")) { try store.group("99") }
    }

    @Test(arguments: StoreBackend.all)
    func test_typeCountsListTheMostCommonTypeFirst(_ backend: StoreBackend) throws {
        let fixture = try fixture(backend)
        let all = try fixture.store.typeCounts(matching: .all)
        #expect(all.map(\.typeID) == [1, 4001, 6001], "ties in type id order")
        #expect(all.map(\.count) == [3, 1, 1])
        let unresolved = try fixture.store.typeCounts(matching: fixture.parse("is:unresolved"))
        #expect(unresolved.map(\.typeID) == [1, 4001])
    }
}
