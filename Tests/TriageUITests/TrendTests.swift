import Testing
import TriageEngine
@testable import TriageUI
import TriageTestSupport

/// Section 6 of the TUI issue: a 24 h sparkline and USERS in the list, seven days of hours in details,
/// all read from the store's hourly counts.
@Suite struct TrendTests {
    @Test func test_sparklineScalesToTheBusiestCellAndLeavesQuietCellsBlank() {
        #expect(Sparkline.render([0, 1, 2, 4], cells: 4, unicode: true) == " ▂▄█")
        #expect(Sparkline.render([1, 1000], cells: 2, unicode: true) == "▁█", "one event beside a spike still shows")
        #expect(Sparkline.render(Array(repeating: 0, count: 24), cells: 12, unicode: true) == String(repeating: " ", count: 12))
    }

    @Test func test_sparklineSumsHoursIntoCells() {
        let hours = (0..<24).map { $0 == 22 || $0 == 23 ? 5 : 0 }
        #expect(Sparkline.buckets(hours, cells: 12) == Array(repeating: 0, count: 11) + [10])
        #expect(Sparkline.buckets([1, 2, 3, 4, 5], cells: 2) == [3, 12], "uneven runs differ by one hour at most")
        #expect(Sparkline.render(hours, cells: 12, unicode: true) == String(repeating: " ", count: 11) + "█")
    }

    @Test func test_sparklineFallsBackToASCII() {
        let text = Sparkline.render([0, 1, 2, 4], cells: 4, unicode: false)
        #expect(text == " .-#")
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
    }

    /// Three hours of events, two users: the store's reads, and the columns that show them.
    private func workspace() throws -> Workspace {
        let workspace = try Workspace.forUI(now: 1_790_002_000)
        func withUser(_ payload: String, _ user: String) -> String {
            payload.replacingOccurrences(of: #""received":1"#, with: #""received":1,"user":{"id":"\#(user)"}"#)
        }
        try workspace.ingest([
            withUser(Workspace.occurrence(1, fingerprint: "a", title: "Spiking", time: 1_789_995_000), "u1"),
            withUser(Workspace.occurrence(2, fingerprint: "a", title: "Spiking", time: 1_790_001_000), "u2"),
            withUser(Workspace.occurrence(3, fingerprint: "a", title: "Spiking", time: 1_790_001_100), "u1"),
            withUser(Workspace.occurrence(4, fingerprint: "a", title: "Spiking", time: 1_790_001_200), "u2"),
        ])
        return workspace
    }

    @Test func test_storeReadsHourlyCountsAndCappedUserCountsForAPage() throws {
        let workspace = try workspace()
        let group = try workspace.store.groups(matching: .all, sort: .lastSeen, limit: 1, offset: 0)[0]
        let hour = Int64(1_790_002_000 / 3600)
        let counts = try workspace.store.hourlyCounts(of: [group.id, 999], hours: 4, through: hour)
        #expect(counts[group.id] == [0, 1, 0, 3], "oldest first, the current hour last, missing hours zero")
        #expect(counts[999] == [0, 0, 0, 0])
        #expect(try workspace.store.userCounts(of: [group.id], upTo: 10) == [group.id: 2])
        #expect(try workspace.store.userCounts(of: [group.id], upTo: 1) == [group.id: 1])
    }

    @Test func test_wideListShowsUsersAndSparklineAndTheyFoldFirst() throws {
        let workspace = try workspace()
        let wide = try workspace.app(width: 140).render()
        #expect(wide.line(1).contains("USERS LAST 24H"))
        #expect(wide.line(2).contains("2" + String(repeating: " ", count: 11) + "▃█ "), "two users; one event two hours back, three this hour")
        let narrower = try workspace.app(width: 139).render()
        #expect(!narrower.line(1).contains("USERS"))
        #expect(!narrower.line(1).contains("24H"))
        #expect(narrower.line(1).contains("CULPRIT"), "the trend columns go before the culprit")
        let ascii = try TriageApp(store: workspace.store, clock: workspace.clock, width: 140, height: 20, unicode: false).render()
        #expect(ascii.line(2).contains("2" + String(repeating: " ", count: 11) + ",# "))
    }

    @Test func test_detailsChartSevenDaysWithAxisAndTheForecastOfAnEscalationIgnore() throws {
        let workspace = try workspace()
        let app = try workspace.app(width: 100, height: 40)
        app.handle(.enter)
        var text = app.render().text
        #expect(text.contains("Last 7 days  events per hour, busiest of each 3 h"))
        #expect(text.contains("3 ┤"))
        #expect(text.contains("0 ┤"))
        #expect(text.contains("-7d"))
        #expect(text.contains("now"))
        #expect(!text.contains("forecast"))
        let group = try #require(app.state.detail?.details.group)
        _ = try workspace.store.apply(.ignore(.untilEscalating), to: [group.id], actor: nil)
        try app.dataChanged()
        text = app.render().text
        #expect(text.contains("until escalating: 3 this hour, forecast 10"), "the floor applies to a group less than a day old")
        #expect(text.contains("┄ forecast 10/h"))
    }

    /// Sort "trend": events this hour against the busiest hour of the week before, over the groups
    /// seen this hour; the rest keep their last_seen order after them.
    @Test func test_trendSortRanksThisHourAgainstTheWeeksPeakAndPagesThroughTheRest() throws {
        let workspace = try Workspace.forUI(now: 1_790_002_000)
        var id = 0
        func events(_ fingerprint: String, _ times: [Double]) -> [String] {
            times.map { time in
                id += 1
                return Workspace.occurrence(id, fingerprint: fingerprint, title: fingerprint, time: time)
            }
        }
        // This hour began at 1_789_999_200.
        try workspace.ingest(events("steady", Array(repeating: 1_789_990_000, count: 10) + [1_790_000_000, 1_790_001_900])
                             + events("new", [1_790_000_100, 1_790_000_200, 1_790_000_300])
                             + events("spike", [1_789_900_000, 1_790_000_400, 1_790_000_500, 1_790_000_600, 1_790_000_700])
                             + events("quiet", [1_789_995_000]))
        let store = workspace.store
        #expect(try store.groups(matching: .all, sort: .lastSeen, limit: nil, offset: 0).map(\.title) == ["steady", "spike", "new", "quiet"])
        #expect(try store.groups(matching: .all, sort: .trend, limit: nil, offset: 0).map(\.title) == ["spike", "new", "steady", "quiet"],
                "4 this hour against a peak of 1, 3 against none, 2 against 10, none this hour")
        #expect(try store.groups(matching: .all, sort: .trend, limit: 2, offset: 1).map(\.title) == ["new", "steady"])
        #expect(try store.groups(matching: .all, sort: .trend, limit: 5, offset: 3).map(\.title) == ["quiet"])
        let quiet = try #require(try store.groups(matching: .all, sort: .lastSeen, limit: nil, offset: 0).last)
        let steady = try #require(try store.groups(matching: .all, sort: .lastSeen, limit: 1, offset: 0).first)
        #expect(try store.position(of: quiet.id, matching: .all, sort: .trend) == 3)
        #expect(try store.position(of: steady.id, matching: .all, sort: .trend) == 2)

        let app = try workspace.app(width: 140, query: "")
        app.handle(.character("S"))
        while app.state.list.sort != .trend { app.handle(.character("S")) }
        let grid = app.render()
        #expect(grid.line(0).contains("sort trend"))
        #expect(grid.line(1).contains("LAST 24H↓"))
        #expect(app.state.list.rows.map(\.title) == ["spike", "new", "steady", "quiet"])
        #expect(app.state.list.selectedGroup?.title == "steady", "the cursor stays on its group")
    }
}
