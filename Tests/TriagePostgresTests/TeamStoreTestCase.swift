import Foundation
import TriagePostgres
import TriageTestSupport
import XCTest

/// What every team-store test starts from: the harness's PostgreSQL 15 (`server`), the real binary
/// in a fresh home (`cli`), and a fresh, empty database of the test's own (`database`, `url`).
class TeamStoreTestCase: XCTestCase {
    var server: PostgresServer!
    var cli: TeamCLI!
    var database = ""
    var url = ""

    override func setUpWithError() throws {
        try super.setUpWithError()
        server = try PostgresServer.shared()
        cli = try TeamCLI(self)
        database = try server.makeDatabase()
        url = server.url(database)
    }

    /// Another new database on `server` (the shared one unless given), with triage's schema; its URL.
    func migratedStore(on server: PostgresServer? = nil) throws -> String {
        let server = server ?? self.server!
        let url = server.url(try server.makeDatabase())
        try cli.succeed(["store", "migrate", "--store", url])
        return url
    }

    /// The database a URL of the harness's names.
    func database(of url: String) -> String {
        String(url.split(separator: "/").last!.split(separator: "?").first!)
    }

    /// A team store holding a copy of a generated local store; returns the first group the default
    /// view lists and its title as the TUI's list shows it (whole, at 120 columns).
    @discardableResult
    func filledTeamStore(_ url: String) throws -> (id: String, title: String) {
        let local = try cli.filledStore()
        try cli.succeed(["store", "migrate", "--store", url])
        try cli.succeed(["store", "copy", "--from", local, "--to", url])
        let rows = try cli.succeed(["list", "--plain", "--fields", "short_id,title", "--store", url]).split(separator: "\n")
            .map { $0.split(separator: "\t", maxSplits: 1).map(String.init) }
        let first = try XCTUnwrap(rows.first)
        XCTAssertEqual(rows.filter { $0[1] == first[1] }.count, 1, "the test needs a title it can find on the screen")
        // Followed by the column's padding, so "… #3" is not found in "… #32".
        return (first[0], first[1] + " ")
    }

    /// `triage tui` on `url` in a tmux pane.
    func tui(_ url: String, environment: String = "") throws -> TmuxPane {
        try TmuxPane(command: "\(environment) \(TeamCLI.binary) tui --store '\(url)'", home: cli.home)
    }

    /// Polls the screen every 5 ms until `condition` holds or `seconds` pass; returns it and when it held.
    func watch(_ pane: TmuxPane, seconds: Double = 15, _ condition: (String) -> Bool) throws -> (screen: String, at: Date?) {
        let deadline = Date().addingTimeInterval(seconds)
        var screen = ""
        while Date() < deadline {
            screen = try pane.screen()
            if condition(screen) { return (screen, Date()) }
            usleep(5_000)
        }
        return (screen, nil)
    }
}
