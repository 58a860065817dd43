import Foundation
import TriagePostgres
import TriageTestSupport
import XCTest

/// Everything at once on one team store, as a rota works: three ingesters on three spools, an
/// engineer's CLI changing the groups as they appear, and a TUI watching; the end equals one
/// ingester's on the union, group for group.
final class TeamConcurrencyTests: TeamStoreTestCase {
    /// What the CLI does to each shared group as it appears, in order. Ignoring forever and then
    /// reopening leaves an end state no occurrence can change (forever never escalates, an
    /// unresolved group cannot regress), so it is known whenever the ingesters' rows land.
    private static let changes: [[String]] = [["ignore"], ["unresolve"], ["assign", "--to", "alice"], ["note", "handed over"]]

    func test_threeIngestersCLIChangesAndATUIAtOnceEndAsOneIngesterOnTheUnionWithTheChangesApplied() throws {
        let corpus = TeamIngestTests.mixedCorpus()
        let (spools, union) = try TeamIngestTests.writeSpools(corpus, home: cli.home)
        let one = try migratedStore()
        let alone = try cli.run(["ingest", "--spool", union, "--store", one, "--config", "/dev/null", "--batch-rows", "7"])
        XCTAssertEqual(alone.status, 0, alone.stderr)

        try cli.succeed(["store", "migrate", "--store", url])
        let pane = try tui(url)
        let ingesters = try spools.map { spool in
            try TeamProcess(cli, ["ingest", "--spool", spool, "--store", url, "--config", "/dev/null", "--batch-rows", "7"])
        }
        defer { for ingester in ingesters { _ = ingester.kill() } }

        // The CLI stream: each shared group, once it is listed, goes through `changes`.
        var changed: [String: String] = [:]  // short id → title
        let deadline = Date().addingTimeInterval(25)
        while changed.count < 5 && Date() < deadline {
            let rows = try cli.succeed(["list", "--plain", "--fields", "short_id,title", "--query", "shared", "--store", url])
                .split(separator: "\n").map { $0.split(separator: "\t", maxSplits: 1).map(String.init) }
            for row in rows where row.count == 2 && row[1].hasPrefix("shared-") && changed[row[0]] == nil {
                for change in Self.changes { try cli.succeed([change[0], row[0]] + Array(change.dropFirst()) + ["--store", url]) }
                changed[row[0]] = row[1]
            }
        }
        XCTAssertEqual(changed.count, 5, "every shared group was changed")
        let stillRunning = ingesters.filter(\.isRunning).count
        for ingester in ingesters { XCTAssertEqual(ingester.wait(), 0, ingester.stderr) }
        print("CLI changes done with \(stillRunning) of 3 ingesters still running")

        // Counts, occurrences, noise and the ingesters' own transitions equal one ingester's; on the
        // groups the CLI changed, status, substatus, priority, history and notifications are the
        // CLI's doing (and, for a resolve racing a regression, timing's), so they are checked below instead.
        XCTAssertEqual(Self.withoutStatus(try snapshot(url)), Self.withoutStatus(try snapshot(one)))
        let shared = try server.admin("""
            SELECT g.fingerprint || '|' || g.status || '|' || coalesce(g.assignee, '-')
                   || '|' || (SELECT string_agg(h.to_status::text, ',' ORDER BY h.id) FROM status_history h WHERE h.group_id = g.id AND h.cause = 'user')
                   || '|notes ' || (SELECT count(*) FROM group_notes n WHERE n.group_id = g.id) AS line
            FROM groups g WHERE g.fingerprint LIKE 'shared-%' ORDER BY g.fingerprint
            """, database: database).map { $0.get("line") ?? "" }
        // Stored status codes: 0 unresolved, 2 ignored.
        XCTAssertEqual(shared, (0..<5).map { "shared-\($0)|0|alice|2,0|notes 1" })

        // The screen shows the end state: every unresolved group with its final count.
        let rows = try cli.succeed(["list", "--plain", "--fields", "title,times_seen", "--store", url]).split(separator: "\n")
            .map { $0.split(separator: "\t").map(String.init) }
        let final = try watch(pane) { screen in
            let lines = screen.split(separator: "\n")
            return screen.contains("\(rows.count) issues")
                && rows.allSatisfy { row in lines.contains { $0.contains(row[0]) && $0.contains(" \(row[1]) ") } }
        }
        XCTAssertNotNil(final.at, "the TUI shows \(rows): \(final.screen)")
        try pane.send("q")
        XCTAssertTrue(try watch(pane) { $0.contains("EXITED") }.screen.contains("EXITED 0"))
    }

    /// A snapshot with the status fields of the shared groups (the ones the CLI changes) blanked.
    private static func withoutStatus(_ snapshot: String) -> String {
        snapshot.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            guard line.hasPrefix("1/shared-") else { return String(line) }
            var fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            for index in [3, 6, 8, 9] where index < fields.count { fields[index] = "…" }
            return fields.joined(separator: "|")
        }.joined(separator: "\n")
    }
}
