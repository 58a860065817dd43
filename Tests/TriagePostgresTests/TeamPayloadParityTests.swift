import Foundation
import TriagePostgres
import TriageTestSupport
import XCTest

/// One spool ingested into a SQLite store and into the team store: what `show --json` prints of its
/// group agrees, but for what each store can say (who ingested a payload's status change).
final class TeamPayloadParityTests: TeamStoreTestCase {
    /// Ingests `lines` (one spool file) into a new SQLite store and into the team store; returns
    /// `show --json` of the group `fingerprint` names, from each.
    private func shownOnBoth(_ lines: [String], fingerprint: String) throws -> (local: [String: Any], team: [String: Any]) {
        try cli.succeed(["store", "migrate", "--store", url])
        let local = cli.home + "/parity.sqlite"
        var shown: [[String: Any]] = []
        for (index, store) in [local, url].enumerated() {
            let spool = cli.home + "/spool-\(index)"
            try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: spool + "/batch.jsonl"))
            let ingest = try cli.run(["ingest", "--spool", spool, "--store", store, "--config", "/dev/null"])
            XCTAssertEqual(ingest.status, 0, ingest.stderr)
            let groups = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(cli.succeed(["list", "--json", "--query", "", "--store", store]).utf8))
                as? [[String: Any]])
            let id = try XCTUnwrap(groups.first { ($0["fingerprint"] as? String)?.hasPrefix(fingerprint) == true }?["short_id"] as? String,
                                   "\(groups)")
            shown.append(try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(cli.succeed(["show", id, "--json", "--store", store]).utf8))
                as? [String: Any]))
        }
        return (shown[0], shown[1])
    }

    private func history(_ shown: [String: Any]) -> [[String: Any]] { shown["history"] as? [[String: Any]] ?? [] }

    func test_aPayloadsStatusChangeNamesTheIngestingRoleOnTheTeamStoreAndNobodyOnSQLite() throws {
        let lines = [PayloadBuilder.bare(id: 1, fingerprint: "a", title: "Boom").json, statusChangeJSON(fingerprint: "a", status: 1, substatus: nil)]
        let (local, team) = try shownOnBoth(lines, fingerprint: "a")
        let teamChange = try XCTUnwrap(history(team).last)
        XCTAssertEqual(teamChange["to_status"] as? String, "resolved")
        XCTAssertEqual(teamChange["cause"] as? String, "payload")
        XCTAssertEqual(teamChange["actor"] as? String, PostgresServer.superuser, "the role that ingested it: \(teamChange)")
        let localChange = try XCTUnwrap(history(local).last)
        XCTAssertEqual(localChange["cause"] as? String, "payload")
        XCTAssertTrue(localChange["actor"] is NSNull, "\(localChange)")
        let shown = try cli.succeed(["show", try XCTUnwrap(team["short_id"] as? String), "--store", url])
        XCTAssertTrue(shown.contains("(payload, by \(PostgresServer.superuser))"), shown)
    }

    /// PostgreSQL text cannot hold NUL: the team store keeps it as ␀ (what the UI draws for it) instead
    /// of refusing the payload, and prints the same as SQLite otherwise.
    func test_aTitleHoldingNULIsStoredOnBothStores() throws {
        let payload = PayloadBuilder.bare(id: 1, fingerprint: "nul", title: "before").with("issue_title", #""a\u0000b""#)
            .with("culprit", #""in \u0000 main""#)
        let (local, team) = try shownOnBoth([payload.json], fingerprint: "nul")
        XCTAssertEqual(local["title"] as? String, "a\u{0}b")
        XCTAssertEqual(team["title"] as? String, "a\u{2400}b")
        XCTAssertEqual(team["culprit"] as? String, "in \u{2400} main")
        func comparable(_ shown: [String: Any]) throws -> String {
            var shown = shown
            shown.removeValue(forKey: "history")
            shown.removeValue(forKey: "id")
            let data = try JSONSerialization.data(withJSONObject: shown, options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\\u0000", with: "\u{2400}")
                .replacingOccurrences(of: "\u{0}", with: "\u{2400}")
        }
        XCTAssertEqual(try comparable(team), try comparable(local))
    }
}
